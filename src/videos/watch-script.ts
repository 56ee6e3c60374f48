/**
 * One progress report, applied atomically in Redis so any number of API processes agree.
 *
 * KEYS[1] watch hash of (video, learner): iv = sorted disjoint [from, to] pairs (JSON), pos, at
 * KEYS[2] learner hash: dev = the device playing, at = last accepted report (ms), act = its activity,
 *         b / bt = the learner's budget of countable seconds and when it was last computed (ms)
 * KEYS[3] dirty set (sorted by report time) that the flush job drains
 * KEYS[4] the checked context of (video, learner): JSON {courseId, duration, threshold, checkpoints: [seconds]};
 *         missing → 'nocontext'. An answered checkpoint i has the field `cp<i>` in the watch hash.
 * KEYS[5] the playback of (video, learner) the server saw start (PLAYBACK_START_SCRIPT): t = when (ms),
 *         s = seconds counted since; it lives while reports keep coming
 * ARGV: from, to, (unused), maxRate, device, deviceIdleMs, playbackIdleSeconds, maxWindowSeconds,
 *       slackSeconds, member (activityId:userId), ttlSeconds, activityId
 *
 * The rule: seconds are counted only as fast as real time allows, from a playback start the server saw
 * (the video fetched, or the player's play event): no start, nothing counts ('not_started'). Since that start
 * at most (now − start) × maxRate + slack new seconds count in all; and each learner has a budget that grows
 * with real time × maxRate (capped, so a paused tab banks little) and that counted seconds spend. A report
 * that adds more than both allow is clipped to what they allow ('too_fast'; nothing counted when nothing is
 * left), and one from a second device while the first is still playing counts nothing.
 * Overlapping or repeated spans add nothing, so a retried report is never counted twice.
 *
 * Nothing past the first unanswered checkpoint counts: spans are clipped there ('checkpoint' when nothing is left).
 * Returns {status, watchedSeconds, position, started, done, duration, threshold, cap, counted}: status is ok |
 * too_fast | other_device | not_started | outside | checkpoint | nocontext; counted is 1 when the report added
 * to what was watched or moved the position.
 */
export const WATCH_SCRIPT = `
local ctxRaw = redis.call('GET', KEYS[4])
if not ctxRaw then return {'nocontext', '0', '0', '0', '0', '0', '0', '0', '0'} end
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
local function answer(status, watched, counted)
  return {status, tostring(watched), tostring(position), flags[1] or '0', flags[2] or '0', tostring(duration), tostring(ctx['threshold']), tostring(cap), counted or '0'}
end

local dev = redis.call('HGET', KEYS[2], 'dev')
local lastAt = tonumber(redis.call('HGET', KEYS[2], 'at') or '')
if dev and dev ~= device and lastAt and now - lastAt < idleMs then
  return answer('other_device', before)
end

local playback = redis.call('HMGET', KEYS[5], 't', 's')
if not playback[1] then
  return answer('not_started', before)
end
redis.call('EXPIRE', KEYS[5], tonumber(ARGV[7]))

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

-- The union of the intervals with [a, b].
local function unite(a, b)
  local merged = {}
  local placed = false
  for _, iv in ipairs(intervals) do
    if not placed and a < iv[1] then
      table.insert(merged, {a, b})
      placed = true
    end
    table.insert(merged, iv)
  end
  if not placed then table.insert(merged, {a, b}) end
  local union = {}
  for _, iv in ipairs(merged) do
    local last = union[#union]
    if last and iv[1] <= last[2] then
      if iv[2] > last[2] then last[2] = iv[2] end
    else
      table.insert(union, {iv[1], iv[2]})
    end
  end
  return union
end

-- Where [from, to] stops once it has added allow new seconds (the watched intervals cost nothing).
local function clipped(allow)
  local cursor = from
  for _, iv in ipairs(intervals) do
    if iv[2] > cursor and iv[1] < to then
      local gap = math.min(iv[1], to) - cursor
      if gap > 0 then
        if gap >= allow then return cursor + allow end
        allow = allow - gap
      end
      cursor = math.max(cursor, iv[2])
    end
  end
  return math.min(to, cursor + allow)
end

local union = unite(from, to)
local after = measure(union)
local added = after - before

-- What may count: at most real time × the maximum rate since the playback start the server saw; and a budget
-- per learner that grows with real time at that rate (capped), that counted seconds spend, and of which what
-- is left never exceeds the slack, so no burst of tiny reports adds more than real time allows.
local slack = tonumber(ARGV[9])
local sinceStart = math.max(0, now - tonumber(playback[1])) / 1000 * rate + slack - tonumber(playback[2] or '0')
local most = tonumber(ARGV[8]) * rate + slack
local budget = tonumber(redis.call('HGET', KEYS[2], 'b') or '')
local budgetAt = tonumber(redis.call('HGET', KEYS[2], 'bt') or '')
if budget and budgetAt then
  budget = math.min(most, budget + math.max(0, now - budgetAt) / 1000 * rate)
else
  budget = most
end
local allowed = math.min(budget, sinceStart)
local status = 'ok'
if added > allowed then
  -- Played faster than real time allows: the part beyond is not counted (whole seconds, rounded down).
  status = 'too_fast'
  to = math.floor(clipped(math.max(0, allowed)))
  if to <= from then
    redis.call('HSET', KEYS[2], 'b', tostring(budget), 'bt', tostring(now))
    return answer('too_fast', before)
  end
  union = unite(from, to)
  after = measure(union)
  added = after - before
end
redis.call('HSET', KEYS[2], 'b', tostring(math.min(budget - added, slack)), 'bt', tostring(now))
redis.call('HINCRBYFLOAT', KEYS[5], 's', added)

position = to
local ttl = tonumber(ARGV[11])
redis.call('HSET', KEYS[1], 'iv', cjson.encode(union), 'pos', tostring(position), 'at', tostring(now))
redis.call('HSET', KEYS[2], 'dev', device, 'at', tostring(now), 'act', ARGV[12])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[3], now, ARGV[10])
return answer(status, after, '1')
`;

/**
 * Marks the start of a playback the server saw (the video fetched, or the player's play event) unless one is
 * already going on, which keeps its start: a Range request in mid-playback must not move it.
 * KEYS[1] the playback hash of (video, learner); ARGV: idleSeconds. Returns the start (ms since the epoch).
 */
export const PLAYBACK_START_SCRIPT = `
local started = redis.call('HGET', KEYS[1], 't')
if not started then
  local t = redis.call('TIME')
  started = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  redis.call('HSET', KEYS[1], 't', started, 's', '0')
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return started
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
