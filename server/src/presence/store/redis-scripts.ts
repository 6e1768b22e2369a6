/**
 * Key layout (P = key prefix):
 *   P prs:u:<userId>  hash  <sessionId> -> JSON {n: node, st, m: mode, sc?: scene, l: login ms as
 *                           a string, d: device}; one field per session of the user (R-DEV-1)
 *   P prs:n:<nodeId>  set   "<userId>:<sessionId>" for each session whose record names that node
 * Every write goes through one of these scripts, so a record and the node index never
 * disagree, and "only if the session is still stored" is checked in the same atomic step as
 * the change. The login time is a string so Lua's cjson (14 significant digits) cannot round it.
 * The scripts build the node-index key from the node id they read, which works on a standalone
 * Redis (what DESIGN.md uses) but not on Redis Cluster.
 */

/**
 * KEYS[1] user hash; ARGV[1] node-index key prefix, [2] userId, [3] sid, [4] node, [5] JSON.
 * Returns the hash after the put (HGETALL: field, value, ...).
 */
export const PUT = `
local member = ARGV[2] .. ':' .. ARGV[3]
local old = redis.call('HGET', KEYS[1], ARGV[3])
if old then redis.call('SREM', ARGV[1] .. cjson.decode(old).n, member) end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[5])
redis.call('SADD', ARGV[1] .. ARGV[4], member)
return redis.call('HGETALL', KEYS[1])
`;

/**
 * KEYS[1] user hash; ARGV[1] node-index key prefix, [2] userId, [3] sid, [4] number n of
 * field/value pairs to set in [5 .. 4+2n], then the fields to delete. Returns 1 if applied.
 */
export const UPDATE = `
local cur = redis.call('HGET', KEYS[1], ARGV[3])
if not cur then return 0 end
local rec = cjson.decode(cur)
local member = ARGV[2] .. ':' .. ARGV[3]
local n = tonumber(ARGV[4])
local i = 5
for _ = 1, n do
  local field, value = ARGV[i], ARGV[i + 1]
  if field == 'n' and value ~= rec.n then
    redis.call('SREM', ARGV[1] .. rec.n, member)
    redis.call('SADD', ARGV[1] .. value, member)
  end
  rec[field] = value
  i = i + 2
end
for j = i, #ARGV do rec[ARGV[j]] = nil end
redis.call('HSET', KEYS[1], ARGV[3], cjson.encode(rec))
return 1
`;

/** KEYS[1] user hash; ARGV[1] status. Sets it on every session of the user; returns how many. */
export const SET_STATUS = `
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local rec = cjson.decode(all[i + 1])
  rec.st = ARGV[1]
  redis.call('HSET', KEYS[1], all[i], cjson.encode(rec))
end
return #all / 2
`;

/** KEYS[1] user hash; ARGV[1] node-index key prefix, [2] userId, [3] sid. Returns 1 if removed. */
export const REMOVE = `
local cur = redis.call('HGET', KEYS[1], ARGV[3])
if not cur then return 0 end
redis.call('HDEL', KEYS[1], ARGV[3])
redis.call('SREM', ARGV[1] .. cjson.decode(cur).n, ARGV[2] .. ':' .. ARGV[3])
return 1
`;
