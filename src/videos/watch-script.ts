/**
 * One progress report, applied atomically in Redis so any number of API processes agree.
 *
 * KEYS[1] watch hash of (video, learner): iv = sorted disjoint [from, to] pairs (JSON), pos, at
 * KEYS[2] learner hash: dev = the device playing, at = last accepted report (ms), act = its activity
 * KEYS[3] dirty set (sorted by report time) that the flush job drains
 * KEYS[4] the checked context of (video, learner): JSON {courseId, duration, threshold, checkpoints: [seconds]};
 *         missing → 'nocontext'. An answered checkpoint i has the field `cp<i>` in the watch hash.
 * ARGV: from, to, (unused), maxRate, device, deviceIdleMs, firstAllowanceSeconds, maxWindowSeconds,
 *       slackSeconds, member (activityId:userId), ttlSeconds, activityId
 *
 * The rule: seconds are counted only as fast as real time allows. Each learner has a budget that grows with
 * real time × maxRate (capped) and that accepted reports spend; a report that adds more than the budget, or
 * comes from a second device while the first is still playing, is refused and counts nothing.
 * Overlapping or repeated spans add nothing, so a retried report is never counted twice.
 *
 * Nothing past the first unanswered checkpoint counts: spans are clipped there ('checkpoint' when nothing is left).
 * Returns {status, watchedSeconds, position, started, done, duration, threshold, cap}: status is ok | too_fast |
 * other_device | outside | checkpoint | nocontext.
 */
export const WATCH_SCRIPT = `
local ctxRaw = redis.call('GET', KEYS[4])
if not ctxRaw then return {'nocontext', '0', '0', '0', '0', '0', '0', '0'} end
local ctx = cjson.decode(ctxRaw)
local from = tonumber(ARGV[1])
local to = tonumber(ARGV[2])
local duration = tonumber(ctx['duration'])
local rate = tonumber(ARGV[4])
local device = ARGV[5]
local idleMs = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function measure(list)
  local total = 0
  for _, iv in ipairs(list) do
    local a = math.max(0, iv[1])
    local b = math.min(duration, iv[2])
    if b > a then total = total + (b - a) end
  end
  return total
end

local raw = redis.call('HGET', KEYS[1], 'iv')
local intervals = {}
if raw then intervals = cjson.decode(raw) end
local position = tonumber(redis.call('HGET', KEYS[1], 'pos') or '0')
local flags = redis.call('HMGET', KEYS[1], 'st', 'done')
local cap = duration
for i, at in ipairs(ctx['checkpoints'] or {}) do
  if at < cap and redis.call('HEXISTS', KEYS[1], 'cp' .. (i - 1)) == 0 then cap = at end
end
local before = measure(intervals)
local function answer(status, watched)
  return {status, tostring(watched), tostring(position), flags[1] or '0', flags[2] or '0', tostring(duration), tostring(ctx['threshold']), tostring(cap)}
end

local dev = redis.call('HGET', KEYS[2], 'dev')
local lastAt = tonumber(redis.call('HGET', KEYS[2], 'at') or '')
if dev and dev ~= device and lastAt and now - lastAt < idleMs then
  return answer('other_device', before)
end

-- Whole seconds keep the interval list short however a player reports (the budget pays for the rounding).
from = math.max(0, math.floor(from))
to = math.min(duration, math.ceil(to))
if from >= duration or to < from then
  return answer('outside', before)
end
if from >= cap then
  return answer('checkpoint', before)
end
to = math.min(to, cap)

local merged = {}
local placed = false
for _, iv in ipairs(intervals) do
  if not placed and from < iv[1] then
    table.insert(merged, {from, to})
    placed = true
  end
  table.insert(merged, iv)
end
if not placed then table.insert(merged, {from, to}) end
local union = {}
for _, iv in ipairs(merged) do
  local last = union[#union]
  if last and iv[1] <= last[2] then
    if iv[2] > last[2] then last[2] = iv[2] end
  else
    table.insert(union, {iv[1], iv[2]})
  end
end
local after = measure(union)
local added = after - before

-- A budget of countable seconds per learner: it grows with real time at the maximum rate (capped), each
-- accepted report spends what it adds, and what is left never exceeds the slack, so no burst of tiny
-- reports can add more than real time allows.
local slack = tonumber(ARGV[9])
local budget = tonumber(redis.call('HGET', KEYS[2], 'b') or '')
local budgetAt = tonumber(redis.call('HGET', KEYS[2], 'bt') or '')
if budget and budgetAt then
  budget = math.min(tonumber(ARGV[8]) * rate + slack, budget + math.max(0, now - budgetAt) / 1000 * rate)
else
  budget = tonumber(ARGV[7]) * rate + slack
end
if added > budget then
  redis.call('HSET', KEYS[2], 'b', tostring(budget), 'bt', tostring(now))
  return answer('too_fast', before)
end
redis.call('HSET', KEYS[2], 'b', tostring(math.min(budget - added, slack)), 'bt', tostring(now))

position = to
local ttl = tonumber(ARGV[11])
redis.call('HSET', KEYS[1], 'iv', cjson.encode(union), 'pos', tostring(position), 'at', tostring(now))
redis.call('HSET', KEYS[2], 'dev', device, 'at', tostring(now), 'act', ARGV[12])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[3], now, ARGV[10])
return answer('ok', after)
`;

/** Removes flushed members from the dirty set unless a newer report came in meanwhile. */
export const UNDIRTY_SCRIPT = `
local removed = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
`;
