// Redis scripts of the fair dispatcher. Jobs wait in per-user lists; a dispatcher moves them one at a
// time, users taking turns, into BullMQ while the user has fewer than `cap` jobs dispatched and unfinished.
// Each script is atomic, so any number of processes may dispatch at once.
//
// Keys under P = "<prefix>:cf": P:job:<id> (hash: userId, kind, payload, state), P:wait:<user> (list),
// P:ring (list of users with waiting jobs, in turn order) + P:ringset, P:active:<user> (set of dispatched,
// unfinished ids), P:dispatched (zset id -> dispatch time, for reconciliation), P:waiting (counter),
// P:cancel:<id> (flag), channels P:events (terminal events) and P:cancel (ids to abort).
// Keys are computed inside the scripts: fine for one Redis, not for Redis Cluster.

/** Marks a job finished once: frees its user's slot and publishes its terminal event. */
const FINISH_FUNCTION = `
local function finish(P, id, outcome, eventJson, retainSeconds)
  local jobKey = P .. ':job:' .. id
  local state = redis.call('HGET', jobKey, 'state')
  if state ~= 'waiting' and state ~= 'dispatched' then return 0 end
  local user = redis.call('HGET', jobKey, 'userId')
  if state == 'waiting' then
    redis.call('LREM', P .. ':wait:' .. user, 0, id)
    redis.call('DECR', P .. ':waiting')
  end
  redis.call('SREM', P .. ':active:' .. user, id)
  redis.call('ZREM', P .. ':dispatched', id)
  redis.call('DEL', P .. ':cancel:' .. id)
  redis.call('HSET', jobKey, 'state', outcome)
  redis.call('EXPIRE', jobKey, retainSeconds)
  redis.call('PUBLISH', P .. ':events', eventJson)
  return 1
end
`;

/**
 * ARGV: P, id, userId, kind, payload, child ('1' or '0'), now. Returns 1 when added, 0 when the id exists,
 * 2 when added as a child job: dispatched at once, outside the per-user lists and cap (the caller hands
 * it to BullMQ; reconciliation repairs a caller that dies before).
 */
export const ADD_SCRIPT = `
local P, id, user = ARGV[1], ARGV[2], ARGV[3]
local jobKey = P .. ':job:' .. id
if redis.call('EXISTS', jobKey) == 1 then return 0 end
if ARGV[6] == '1' then
  redis.call('HSET', jobKey, 'userId', user, 'kind', ARGV[4], 'payload', ARGV[5], 'state', 'dispatched')
  redis.call('ZADD', P .. ':dispatched', tonumber(ARGV[7]), id)
  return 2
end
redis.call('HSET', jobKey, 'userId', user, 'kind', ARGV[4], 'payload', ARGV[5], 'state', 'waiting')
redis.call('RPUSH', P .. ':wait:' .. user, id)
redis.call('INCR', P .. ':waiting')
if redis.call('SADD', P .. ':ringset', user) == 1 then redis.call('RPUSH', P .. ':ring', user) end
return 1
`;

/**
 * ARGV: P, cap, now. Takes the next job in turn whose user is below cap; returns {id, kind, userId,
 * payload} or false when none may start.
 */
export const DISPATCH_SCRIPT = `
local P, cap, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local ring = P .. ':ring'
for _ = 1, redis.call('LLEN', ring) do
  local user = redis.call('LPOP', ring)
  local wait = P .. ':wait:' .. user
  if redis.call('LLEN', wait) == 0 then
    redis.call('SREM', P .. ':ringset', user)
  elseif redis.call('SCARD', P .. ':active:' .. user) >= cap then
    redis.call('RPUSH', ring, user)
  else
    local id = redis.call('LPOP', wait)
    redis.call('DECR', P .. ':waiting')
    if redis.call('LLEN', wait) > 0 then
      redis.call('RPUSH', ring, user)
    else
      redis.call('SREM', P .. ':ringset', user)
    end
    local jobKey = P .. ':job:' .. id
    redis.call('SADD', P .. ':active:' .. user, id)
    redis.call('ZADD', P .. ':dispatched', now, id)
    redis.call('HSET', jobKey, 'state', 'dispatched')
    local job = redis.call('HMGET', jobKey, 'kind', 'userId', 'payload')
    return {id, job[1], job[2], job[3]}
  end
end
return false
`;

/** ARGV: P, id, outcome, eventJson, retainSeconds. Returns 1 when this call finished the job. */
export const FINISH_SCRIPT = `${FINISH_FUNCTION}
return finish(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
`;

/**
 * ARGV: P, id, eventJson, retainSeconds. A waiting job is cancelled at once ('canceled'); a dispatched
 * one gets a cancel flag and its id published to the runners ('signaled'); otherwise 'none'.
 */
export const CANCEL_SCRIPT = `${FINISH_FUNCTION}
local P, id = ARGV[1], ARGV[2]
local state = redis.call('HGET', P .. ':job:' .. id, 'state')
if state == 'waiting' then
  finish(P, id, 'canceled', ARGV[3], tonumber(ARGV[4]))
  return 'canceled'
end
if state == 'dispatched' then
  redis.call('SET', P .. ':cancel:' .. id, '1', 'EX', tonumber(ARGV[4]))
  redis.call('PUBLISH', P .. ':cancel', id)
  return 'signaled'
end
return 'none'
`;
