// The composition root: wires configuration, database, queue, services and faces. Nothing else does.
import type { Clock } from './platform/clock.js';
import { systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import { type HttpServer, createHttpServer } from './platform/http.js';
import type { Ids } from './platform/ids.js';
import { createIds } from './platform/ids.js';
import type { Logger } from './platform/log.js';
import { Metrics } from './platform/metrics.js';
import { Queue } from './platform/queue.js';
import { version } from './platform/version.js';
import type { JobHandler } from './platform/worker.js';
import { Worker } from './platform/worker.js';
import { AuthService } from './auth/service.js';
import { SessionService } from './auth/sessions.js';
import { AccountService } from './auth/accounts.js';
import { DeviceService } from './auth/devices.js';
import { CallLogService } from './audit/service.js';
import { RateLimiter } from './platform/rate-limit.js';
import { InviteService } from './users/invites.js';
import { registerOpsRoutes } from './faces/ops/routes.js';
import { registerAdminRoutes } from './faces/admin/routes.js';
import { registerPlatformRoutes } from './faces/platform/routes.js';
import { registerSelfModelRoutes } from './faces/selfmodel/routes.js';
import { registerCloneRoutes } from './faces/clone/routes.js';
import { registerPublicV1Routes } from './faces/public-v1/routes.js';
import { DocumentService } from './documents/service.js';
import { GovernanceService } from './governance/service.js';
import { registerCallLog } from './faces/call-log.js';
import { IdentityService } from './identities/service.js';
import { BeliefService } from './beliefs/service.js';
import { ContextService } from './context/service.js';
import { recentEpisodes } from './episodes/store.js';
import { EventService } from './events/service.js';
import { MemorySessionService } from './events/sessions.js';
import { RecordingService } from './events/recording.js';
import { ProfileService } from './profiles/service.js';
import { PromotionService } from './pipeline/promotion.js';
import { createLlmExtractor } from './extraction/llm.js';
import { createRuleExtractor } from './extraction/rules.js';
import type { Extractor } from './extraction/types.js';
import { createPipelineJobs } from './pipeline/jobs.js';
import { SearchIndex } from './retrieval/indexing.js';
import { SearchService } from './retrieval/service.js';
import { EmbeddingScheduler, createEmbeddingJobs } from './retrieval/embedding-jobs.js';
import { type VectorSearch, createVectorSearch } from './retrieval/vectors.js';
import { PortabilityService } from './portability/service.js';
import { PredictionService, predictionCallBudgetMs } from './predictions/service.js';
import { type LlmClient, createLlmClient } from './providers/llm.js';
import { type Embedder, createEmbedder } from './providers/embeddings.js';
import { SubjectService } from './subjects/service.js';
import { TenantService } from './tenants/service.js';
import { UserService } from './users/service.js';
import { AccessService } from './access/service.js';
import { MonitoringService } from './monitoring/service.js';
import { NewsService } from './news/service.js';
import { createSourceJobs } from './sources/jobs.js';
import { SecretBox } from './sources/secrets.js';
import { SourceService } from './sources/service.js';
import { StaffService } from './staff/service.js';
import { VoiceService } from './voice/service.js';

export interface CoreDeps {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
  ids?: Ids;
  /** The belief extractor; the rule-based one unless a test or an LLM configuration provides another. */
  extractor?: Extractor;
}

/** The core: services and the job handlers the worker runs. No HTTP here. */
export interface Core {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  ids: Ids;
  queue: Queue;
  metrics: Metrics;
  tenants: TenantService;
  users: UserService;
  sessions: SessionService;
  auth: AuthService;
  accounts: AccountService;
  devices: DeviceService;
  invites: InviteService;
  limiter: RateLimiter;
  callLog: CallLogService;
  documents: DocumentService;
  governance: GovernanceService;
  identities: IdentityService;
  subjects: SubjectService;
  memorySessions: MemorySessionService;
  events: EventService;
  beliefs: BeliefService;
  context: ContextService;
  /** Ranked search over a subject's turns and beliefs (lexical, plus vectors when an embedder is configured). */
  search: SearchService;
  /** The embedder and the vector side of search; null when ENGRAM_EMBEDDINGS is none. */
  embedder: Embedder | null;
  vectors: VectorSearch | null;
  recording: RecordingService;
  profiles: ProfileService;
  promotion: PromotionService;
  portability: PortabilityService;
  predictions: PredictionService;
  /** The shared LLM client; undefined when ENGRAM_LLM_PROVIDER is unset (routes that need one: requireLlm). */
  llm: LlmClient | undefined;
  extractor: Extractor;
  jobHandlers: Record<string, JobHandler>;
  /** Server operators (news, /admin/); not a tenant role. */
  staff: StaffService;
  news: NewsService;
  /** Read access between account users; memory routes check `access.openMemory`. */
  access: AccessService;
  voice: VoiceService;
  sources: SourceService;
  monitoring: MonitoringService;
}

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? createIds(clock);
  const queue = new Queue(deps.database, { clock, ids });
  const metrics = new Metrics(() => queue.countByStatus());
  const db = deps.database.db;
  const tenants = new TenantService({ db, clock, ids });
  const sessions = new SessionService({ db, clock, ids, ...deps.config.sessions });
  const users = new UserService({ db, clock, ids, sessions });
  const limiter = new RateLimiter({ database: deps.database, clock });
  const auth = new AuthService({ db, clock, ids, tenants, users, sessions, limiter });
  const invites = new InviteService({ db, clock, ids, users });
  const accounts = new AccountService({ db, clock, ids, tenants, users, sessions, auth, limiter, invites });
  const devices = new DeviceService({ db, clock, ids, users, accounts, sessions });
  const callLog = new CallLogService({ db, logger: deps.logger });
  const documents = new DocumentService({ db });
  const governance = new GovernanceService({ db, clock, ids });
  const identities = new IdentityService({ db, clock, ids, users, auth });

  // Memory: subjects → events (envelopes, sessions) → pipeline (extraction, episodes, beliefs) → context.
  // With an LLM configured it extracts, and the rules answer whenever it cannot (counted, logged without the text).
  const llm = createLlmClient(deps.config.llm, { logger: deps.logger.child({ component: 'llm' }) });
  const onLlmFallback = (reason: string, detail: string) => {
    metrics.countLlmExtractionFallback(reason);
    deps.logger.warn({ component: 'extraction', reason, detail }, 'LLM extraction fell back to the rules');
  };
  const extractor = deps.extractor ?? (llm ? createLlmExtractor(llm, createRuleExtractor(), onLlmFallback) : createRuleExtractor());
  const subjects = new SubjectService({ db, clock, ids });
  const memorySessions = new MemorySessionService({ db, clock, ids, subjects });
  // Retrieval: every event and belief is indexed as it is stored; one search core ranks for every face.
  // With an embedder, indexed documents get vectors in the background (retrieval.embed jobs).
  const embeddings = deps.config.embeddings;
  const embedder = createEmbedder(embeddings, { logger: deps.logger.child({ component: 'embeddings' }) });
  const vectors =
    embedder && createVectorSearch(deps.database, embedder, { query: { maxRetries: 0, timeoutMs: embeddings!.queryTimeoutMs }, cacheBytes: embeddings!.cacheBytes });
  const scheduler = embedder && new EmbeddingScheduler({ database: deps.database, queue, clock, model: embedder.model, logger: deps.logger.child({ component: 'embeddings' }) });
  const searchIndex = new SearchIndex(scheduler ? { onIndexed: (tenantId) => scheduler.noteIndexed(tenantId) } : {});
  const search = new SearchService({ database: deps.database, clock, log: deps.logger.child({ component: 'search' }), vectors });
  const events = new EventService({ db, clock, ids, queue, subjects, sessions: memorySessions, index: searchIndex });
  const beliefs = new BeliefService({ db, clock, ids, halfLifeMs: deps.config.memory.beliefHalfLifeMs, index: searchIndex });
  const context = new ContextService({
    beliefs,
    search,
    recentEpisodes: (tenantId, subjectId, options) => recentEpisodes(db, tenantId, subjectId, options),
    clock,
    defaultMaxTokens: deps.config.memory.contextMaxTokens,
  });
  const recording = new RecordingService({ db, clock, events, sessions: memorySessions });
  const profiles = new ProfileService({ db, clock, beliefs });
  const promotion = new PromotionService({ db, queue });
  const portability = new PortabilityService({ db, clock, ids, queue, index: searchIndex });
  const staff = new StaffService({ db, clock });
  const news = new NewsService({ db, clock, ids, staff });
  const access = new AccessService({ db, clock, ids });
  const voice = new VoiceService(deps.config.voice);
  const sources = new SourceService({ db, clock, ids, queue, secrets: SecretBox.open({ secretKey: deps.config.secretKey, dataDir: deps.config.dataDir }) });
  const monitoring = new MonitoringService({ database: deps.database, metrics, queueDepth: () => queue.countByStatus() });
  const jobHandlers = {
    ...createPipelineJobs({ database: deps.database, clock, ids, extractor, subjects, beliefs, sessions: memorySessions }),
    ...createSourceJobs({ database: deps.database, clock, events, subjects, sources }),
    ...(embedder ? createEmbeddingJobs({ database: deps.database, queue, clock, embedder, batchSize: embeddings!.batchSize }) : {}),
  };
  return {
    ...deps,
    clock,
    ids,
    queue,
    metrics,
    tenants,
    users,
    sessions,
    auth,
    accounts,
    devices,
    invites,
    limiter,
    callLog,
    documents,
    governance,
    identities,
    subjects,
    memorySessions,
    events,
    beliefs,
    search,
    embedder,
    vectors,
    context,
    recording,
    profiles,
    promotion,
    portability,
    predictions: new PredictionService({ db, clock, ids, queue, llm, users, subjects, context, callBudgetMs: predictionCallBudgetMs(deps.config.llm) }),
    llm,
    extractor,
    jobHandlers,
    staff,
    news,
    access,
    voice,
    sources,
    monitoring,
  };
}

export function createWorker(core: Core, overrides: { concurrency?: number; pollMs?: number } = {}): Worker {
  return new Worker({
    queue: core.queue,
    handlers: core.jobHandlers,
    logger: core.logger.child({ component: 'worker' }),
    concurrency: overrides.concurrency ?? core.config.worker.concurrency,
    leaseMs: core.config.worker.leaseMs,
    ...(overrides.pollMs !== undefined ? { pollMs: overrides.pollMs } : {}),
    onJobFinished: core.metrics.observeJob,
  });
}

export interface App {
  core: Core;
  http: HttpServer;
}

export async function createApp(deps: CoreDeps): Promise<App> {
  const core = createCore(deps);
  const http = await createHttpServer({ config: core.config, logger: core.logger, metrics: core.metrics, version });
  registerCallLog(http, core);
  http.addHook('onClose', () => core.callLog.flush());
  registerOpsRoutes(http, { database: core.database, metrics: core.metrics, version });
  registerSelfModelRoutes(http, core);
  registerPlatformRoutes(http, core);
  registerCloneRoutes(http, core);
  registerPublicV1Routes(http, core);
  registerAdminRoutes(http, core);
  await http.ready();
  return { core, http };
}
