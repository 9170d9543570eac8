// Test accounts: a tenant with an admin user and a live session, made through the real services.
import type { App } from '../app.js';

let counter = 0;

export async function signUpAdmin(app: App, username = `admin-${process.pid}-${++counter}`) {
  const session = await app.core.accounts.signup({ username, email: `${username}@example.test`, password: 'correct horse battery' });
  return {
    session,
    tenantId: session.user.tenantId,
    userId: session.user.id,
    bearer: { authorization: `Bearer ${session.accessToken}` },
  };
}
