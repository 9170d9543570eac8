// The ordered list of migrations. Add a numbered file and one line here; never edit a shipped one.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_credentials.js';
import * as m0003 from './0003_accounts.js';
import * as m0004 from './0004_memory.js';
import * as m0005 from './0005_governance_events.js';
import * as m0006 from './0006_identities.js';
import * as m0009 from './0009_access_sources_news.js';
import * as m0010 from './0010_search.js';
import * as m0011 from './0011_access_reads.js';
import * as m0012 from './0012_search_passages.js';
import * as m0013 from './0013_search_subject_gin.js';
import * as m0014 from './0014_search_docs_tenant_order.js';
import * as m0007 from './0007_profile_fields.js';
import * as m0008 from './0008_predictions.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_credentials': m0002,
  '0003_accounts': m0003,
  '0004_memory': m0004,
  '0005_governance_events': m0005,
  '0006_identities': m0006,
  '0007_profile_fields': m0007,
  '0008_predictions': m0008,
  '0009_access_sources_news': m0009,
  '0010_search': m0010,
  '0011_access_reads': m0011,
  '0012_search_passages': m0012,
  '0013_search_subject_gin': m0013,
  '0014_search_docs_tenant_order': m0014,
};
