// A short-lived, bounded, per-database cache of authenticated principals: session id or API-token hash
// → the user, role and credential it stands for. Without it every request reads the session or token
// (and its user) before doing anything else, and in the embedded mode (one PGlite connection) those
// reads queue behind each other.
//
// Security: an entry lives at most PRINCIPAL_TTL_MS (and never past the credential's own expiry, which
// the caller checks on every hit). Logout, password change, role change and token revocation call the
// invalidate functions below, so in THIS process the change takes effect at once. With several server
// processes sharing one database, another process may keep accepting a revoked token or ended session
// (or the old role) for up to PRINCIPAL_TTL_MS; keep that at 5 s or less.
//
// An invalidation bumps `generation`; a lookup that started before it does not store its (possibly
// stale) answer, so a request racing a logout cannot put the ended session back into the cache.
import type { AuthUser } from '../context';
import type { SessionRecord } from './sessions';

export const PRINCIPAL_TTL_MS = 3_000;
const CAPACITY = 1_000;

interface BaseEntry {
  readonly user: AuthUser;
  /** performance.now() after which the entry is not used. */
  readonly until: number;
}
export interface SessionEntry extends BaseEntry {
  readonly kind: 'session';
  readonly session: SessionRecord;
}
export interface TokenEntry extends BaseEntry {
  readonly kind: 'apiToken';
  readonly tokenId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
}
type Entry = SessionEntry | TokenEntry;

export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private gen = 0;

  constructor(
    private readonly ttlMs = PRINCIPAL_TTL_MS,
    private readonly capacity = CAPACITY,
  ) {}

  /** Read before the database lookup; pass to `put` so a lookup that raced an invalidation is dropped. */
  get generation(): number {
    return this.gen;
  }

  getSession(sessionId: string): SessionEntry | undefined {
    const entry = this.read(`s:${sessionId}`);
    return entry?.kind === 'session' ? entry : undefined;
  }

  getToken(tokenHash: string): TokenEntry | undefined {
    const entry = this.read(`t:${tokenHash}`);
    return entry?.kind === 'apiToken' ? entry : undefined;
  }

  putSession(sessionId: string, generation: number, value: Omit<SessionEntry, 'kind' | 'until'>): void {
    this.write(`s:${sessionId}`, generation, { kind: 'session', ...value, until: this.deadline() });
  }

  putToken(tokenHash: string, generation: number, value: Omit<TokenEntry, 'kind' | 'until'>): void {
    this.write(`t:${tokenHash}`, generation, { kind: 'apiToken', ...value, until: this.deadline() });
  }

  /** After logout (or any removal of one session). */
  invalidateSession(sessionId: string): void {
    this.gen++;
    this.entries.delete(`s:${sessionId}`);
  }

  /** After an API token is revoked. */
  invalidateToken(tokenId: string): void {
    this.gen++;
    for (const [key, entry] of this.entries) {
      if (entry.kind === 'apiToken' && entry.tokenId === tokenId) this.entries.delete(key);
    }
  }

  /** After a role or password change: every session and token of the user. */
  invalidateUser(userId: string): void {
    this.gen++;
    for (const [key, entry] of this.entries) {
      if (entry.user.id === userId) this.entries.delete(key);
    }
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private deadline(): number {
    return performance.now() + this.ttlMs;
  }

  private read(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (performance.now() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, generation: number, entry: Entry): void {
    if (generation !== this.gen || this.ttlMs <= 0 || this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

const caches = new WeakMap<object, PrincipalCache>();

/** The cache for one database client (`ctx.prisma` / `services.db.prisma`). */
export function principalCache(prisma: object): PrincipalCache {
  let cache = caches.get(prisma);
  if (!cache) {
    cache = new PrincipalCache();
    caches.set(prisma, cache);
  }
  return cache;
}
