// Fair order for the in-process queue: users take turns (round robin) and none has more than
// maxActivePerUser jobs started at once, so one user's thousand jobs never starve another's one. Child jobs
// (isChildKind) take turns too but are not capped: their parent holds the user's slot.
import { isChildKind, type JobKind, type JobSpec } from './queue';

interface KindLane {
  /** Users with waiting jobs of this kind, in turn order. */
  readonly ring: string[];
  readonly waiting: Map<string, JobSpec[]>;
}

export class FairScheduler {
  private readonly lanes = new Map<JobKind, KindLane>();
  private readonly active = new Map<string, number>();

  constructor(private readonly maxActivePerUser: number) {
    if (!Number.isInteger(maxActivePerUser) || maxActivePerUser < 1) {
      throw new RangeError(`maxActivePerUser must be a positive integer, got ${maxActivePerUser}`);
    }
  }

  enqueue(job: JobSpec): void {
    const lane = this.lane(job.kind);
    const list = lane.waiting.get(job.userId);
    if (list) {
      list.push(job);
    } else {
      lane.waiting.set(job.userId, [job]);
      lane.ring.push(job.userId);
    }
  }

  /** The next job of this kind to start, counted as active for its user; undefined when none may start. */
  next(kind: JobKind): JobSpec | undefined {
    const lane = this.lanes.get(kind);
    if (!lane) return undefined;
    const capped = !isChildKind(kind);
    for (let turn = lane.ring.length; turn > 0; turn--) {
      const userId = lane.ring.shift()!;
      const list = lane.waiting.get(userId)!;
      if (capped && (this.active.get(userId) ?? 0) >= this.maxActivePerUser) {
        lane.ring.push(userId);
        continue;
      }
      const job = list.shift()!;
      if (list.length > 0) lane.ring.push(userId);
      else lane.waiting.delete(userId);
      if (capped) this.active.set(userId, (this.active.get(userId) ?? 0) + 1);
      return job;
    }
    return undefined;
  }

  /** A started job ended (succeeded, failed for good, or was cancelled): its user's slot frees. */
  finish(job: JobSpec): void {
    if (isChildKind(job.kind)) return;
    const count = (this.active.get(job.userId) ?? 0) - 1;
    if (count > 0) this.active.set(job.userId, count);
    else this.active.delete(job.userId);
  }

  /** Removes a job that has not started; false when it is not waiting. */
  remove(job: JobSpec): boolean {
    const lane = this.lanes.get(job.kind);
    const list = lane?.waiting.get(job.userId);
    const index = list?.findIndex((j) => j.id === job.id) ?? -1;
    if (!lane || !list || index < 0) return false;
    list.splice(index, 1);
    if (list.length === 0) {
      lane.waiting.delete(job.userId);
      lane.ring.splice(lane.ring.indexOf(job.userId), 1);
    }
    return true;
  }

  waitingCount(): number {
    let total = 0;
    for (const lane of this.lanes.values()) for (const list of lane.waiting.values()) total += list.length;
    return total;
  }

  private lane(kind: JobKind): KindLane {
    let lane = this.lanes.get(kind);
    if (!lane) {
      lane = { ring: [], waiting: new Map() };
      this.lanes.set(kind, lane);
    }
    return lane;
  }
}
