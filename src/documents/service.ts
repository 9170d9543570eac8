// Documents Engram holds for a tenant (document events of its memory), read under developer-token scopes.
import type { Kysely } from 'kysely';
import { type Principal, requireScope } from '../auth/principal.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { type Document, type DocumentPage, findDocument, listDocuments } from './store.js';

export type { Document, DocumentPage };

export class DocumentService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  list(principal: Principal, page: DocumentPage): Promise<{ documents: Document[]; total: number }> {
    requireScope(principal, 'documents:list');
    return listDocuments(this.deps.db, principal.tenantId, page);
  }

  /** One document of the caller's tenant; another tenant's id is simply not found. */
  async get(principal: Principal, id: string): Promise<Document> {
    requireScope(principal, 'documents:read');
    const document = await findDocument(this.deps.db, principal.tenantId, id);
    if (!document) throw new AppError('not_found', { resource: 'Document', id });
    return document;
  }
}
