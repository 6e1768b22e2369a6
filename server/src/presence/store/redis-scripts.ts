/**
 * Key layout (P = key prefix):
 *   P prs:u:<userId>  hash  sid, node, st, mode, login, scene (absent when sceneId is null)
 *   P prs:n:<nodeId>  set   userIds whose record names that node
 * Every write goes through one of these scripts, so a record and the node index never
 * disagree, and "only if the session is still mine" is checked in the same atomic step as
 * the change. The scripts build the node-index key from the node id they read, which works on
 * a standalone Redis (what DESIGN.md uses) but not on Redis Cluster.
 */

/** The hash fields, in the order the scripts and the parser use them. */
export const FIELDS = ['sid', 'node', 'st', 'mode', 'scene', 'login'] as const;

/**
 * KEYS[1] record; ARGV[1] node-index key prefix, [2] userId, [3] sid, [4] node, [5] status,
 * [6] mode, [7] loginAtMs, [8] '1' if a sceneId follows in [9]. Returns the previous fields
 * (FIELDS order) or nil.
 */
export const PUT = `
local old = redis.call('HMGET', KEYS[1], 'sid', 'node', 'st', 'mode', 'scene', 'login')
if old[2] then redis.call('SREM', ARGV[1] .. old[2], ARGV[2]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'sid', ARGV[3], 'node', ARGV[4], 'st', ARGV[5], 'mode', ARGV[6], 'login', ARGV[7])
if ARGV[8] == '1' then redis.call('HSET', KEYS[1], 'scene', ARGV[9]) end
redis.call('SADD', ARGV[1] .. ARGV[4], ARGV[2])
if old[1] then return old end
return false
`;

/**
 * KEYS[1] record; ARGV[1] node-index key prefix, [2] userId, [3] expected sid, [4] number n of
 * field/value pairs to set in [5 .. 4+2n], then the fields to delete. Returns 1 if applied.
 */
export const UPDATE = `
local current = redis.call('HMGET', KEYS[1], 'sid', 'node')
if current[1] ~= ARGV[3] then return 0 end
local n = tonumber(ARGV[4])
local i = 5
for _ = 1, n do
  local field, value = ARGV[i], ARGV[i + 1]
  if field == 'node' and value ~= current[2] then
    redis.call('SREM', ARGV[1] .. current[2], ARGV[2])
    redis.call('SADD', ARGV[1] .. value, ARGV[2])
  end
  redis.call('HSET', KEYS[1], field, value)
  i = i + 2
end
for j = i, #ARGV do redis.call('HDEL', KEYS[1], ARGV[j]) end
return 1
`;

/** KEYS[1] record; ARGV[1] node-index key prefix, [2] userId, [3] expected sid. Returns 1 if removed. */
export const REMOVE = `
local current = redis.call('HMGET', KEYS[1], 'sid', 'node')
if current[1] ~= ARGV[3] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. current[2], ARGV[2])
return 1
`;
