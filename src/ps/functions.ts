/**
 * The update that runs inside Redis: a Redis Function library (Lua) that applies AdaGrad or FTRL to
 * one block's pushed (offset, gradient) pairs atomically, and records a worker's progress.
 *
 * A block is one Redis string of B records of float32 little-endian values, one record per
 * coordinate: (w, G) for AdaGrad, (w, z, n) for FTRL, so a worker fetches a span of coordinates
 * with their state in one GETRANGE, and an update reads and writes one record per coordinate. A
 * block that does not exist yet is all zeros (G at its initial value). A push carries, per
 * coordinate, the sum of the gradients since the last push and the sum of their squares (the
 * accumulators grow by Σg², as if each example had been applied on its own; the weight moves by the
 * summed gradient). Lua computes in float64 and stores float32, so one worker pushing every example
 * matches the local learner within float32 rounding.
 *
 * The library's name carries a checksum of its code: loading is `FUNCTION LOAD` without REPLACE,
 * once per master, and a library already there (this code, loaded by another worker) is kept.
 */
import { crc32 } from '../learn/crc32.js';

const CODE_BODY = `
-- struct and math are bound at call time: a library is loaded without them.
local CHUNK = 1024

-- n values of struct code c (width bytes each) from s at byte pos (1-based), in a table.
local function read(s, pos, n, c, width)
  local out, i = {}, 0
  while i < n do
    local k = math.min(CHUNK, n - i)
    local v = { struct.unpack('<' .. string.rep(c, k), s, pos + i * width) }
    for j = 1, k do out[i + j] = v[j] end
    i = i + k
  end
  return out
end

-- t[1..n] as float32 little-endian.
local function write(t, n)
  local parts, i = {}, 0
  while i < n do
    local k = math.min(CHUNK, n - i)
    parts[#parts + 1] = struct.pack('<' .. string.rep('f', k), unpack(t, i + 1, i + k))
    i = i + k
  end
  return table.concat(parts)
end

-- One coordinate's update from its pushed gradient sum g and sum of squares q (q = g² when one
-- example is pushed): weight w and state a (G, or FTRL's z) and b (FTRL's n).
local function stepper(kind, args)
  local sqrt, abs = math.sqrt, math.abs
  if kind == 'adagrad' then
    local lr, eps = tonumber(args[6]), tonumber(args[7])
    local inside, skipZero = args[8] == '1', args[9] == '1'
    return function(w, G, g, q)
      G = G + q
      if not inside then w = w - lr * g / (sqrt(G) + eps)
      elseif not (skipZero and G == 0) then w = w - lr * g / sqrt(G + eps) end
      return w, G
    end, 2
  elseif kind == 'ftrl' then
    local alpha, beta, l1, l2 = tonumber(args[6]), tonumber(args[7]), tonumber(args[8]), tonumber(args[9])
    return function(w, z, n, g, q, bias)
      -- The bias is not regularized (as the learner's bias is not).
      local l1, l2 = bias and 0 or l1, bias and 0 or l2
      -- McMahan et al. 2013, Algorithm 1.
      local sigma = (sqrt(n + q) - sqrt(n)) / alpha
      z = z + g - sigma * w
      n = n + q
      if abs(z) <= l1 then w = 0
      else
        local sign = (z < 0) and -1 or 1
        w = -(z - sign * l1) / ((beta + sqrt(n)) / alpha + l2)
      end
      return w, z, n
    end, 3
  end
end

-- KEYS[1] the block; ARGV: kind ('adagrad' or 'ftrl'), B, offsets (uint16 LE, ascending, unique),
-- gradient sums and sums of squares (float32 LE), then adagrad: lr, eps, eps inside the root
-- (0/1), skip G = 0 (0/1), initial G; ftrl: alpha, beta, l1, l2, and the bias's offset in this
-- block (-1 when it is elsewhere).
local function push(keys, args)
  local key, kind, B = keys[1], args[1], tonumber(args[2])
  local step, width = stepper(kind, args)
  if not step then return redis.error_reply('adagrad: unknown optimizer ' .. tostring(kind)) end
  local m = #args[3] / 2
  if #args[4] ~= 4 * m or #args[5] ~= 4 * m then
    return redis.error_reply('adagrad: offsets, gradients and squares differ in length')
  end
  local offs, g, q = read(args[3], 1, m, 'H', 2), read(args[4], 1, m, 'f', 4), read(args[5], 1, m, 'f', 4)
  local R = 4 * width
  local blk = redis.call('GET', key)
  if not blk then
    local init = (kind == 'adagrad') and tonumber(args[10]) or 0
    if init ~= 0 then blk = string.rep(struct.pack('<ff', 0, init), B)
    else blk = string.rep('\\0', R * B) end
  elseif #blk ~= R * B then
    return redis.error_reply('adagrad: block ' .. key .. ' holds ' .. #blk .. ' bytes, not ' .. R * B)
  end
  if 2 * m >= B then
    -- Many coordinates: unpack the whole block, update in place, pack it back.
    local v = read(blk, 1, width * B, 'f', 4)
    if width == 2 then
      for j = 1, m do
        local i = 2 * offs[j]
        v[i + 1], v[i + 2] = step(v[i + 1], v[i + 2], g[j], q[j])
      end
    else
      local bias = tonumber(args[10])
      for j = 1, m do
        local i = 3 * offs[j]
        v[i + 1], v[i + 2], v[i + 3] = step(v[i + 1], v[i + 2], v[i + 3], g[j], q[j], offs[j] == bias)
      end
    end
    redis.call('SET', key, write(v, width * B))
    return m
  end
  -- Few: unpack and pack only those records, keeping the untouched spans of the string.
  local parts, p, copied = {}, 0, 0
  local unpack_rec, fmt = struct.unpack, (width == 2) and '<ff' or '<fff'
  local bias = (width == 3) and tonumber(args[10]) or -1
  for j = 1, m do
    local at = R * offs[j]
    p = p + 1; parts[p] = string.sub(blk, copied + 1, at)
    p = p + 1
    if width == 2 then
      local w, a = unpack_rec(fmt, blk, at + 1)
      parts[p] = struct.pack(fmt, step(w, a, g[j], q[j]))
    else
      local w, a, b = unpack_rec(fmt, blk, at + 1)
      parts[p] = struct.pack(fmt, step(w, a, b, g[j], q[j], offs[j] == bias))
    end
    copied = at + R
  end
  p = p + 1; parts[p] = string.sub(blk, copied + 1)
  redis.call('SET', key, table.concat(parts))
  return m
end

-- KEYS[1] the model's meta hash; ARGV: worker ('I/N'), examples pushed, position, time (ms), label
-- convention seen ('' if none yet). The update count and the position move together.
local function progress(keys, args)
  local meta = keys[1]
  if redis.call('HEXISTS', meta, 'model') == 0 then
    return redis.error_reply('adagrad: the model is gone from the store (dropped?)')
  end
  local kind = args[5]
  if kind ~= '' then
    local seen = redis.call('HGET', meta, 'labelKind')
    if seen and seen ~= kind then
      return redis.error_reply('adagrad: labels mix conventions across workers: ' .. seen .. ' and ' .. kind)
    end
    if not seen then redis.call('HSET', meta, 'labelKind', kind) end
  end
  redis.call('HINCRBY', meta, 'updates', args[2])
  redis.call('HSET', meta, 'position:' .. args[1], args[3], 'seen:' .. args[1], args[4])
  return 1
end
`;

const VERSION = crc32(new TextEncoder().encode(CODE_BODY)).toString(16).padStart(8, '0');

/** The library's name, and its two functions' names, as FCALL takes them. */
export const LIBRARY = `adagrad_${VERSION}`;
export const PUSH_FUNCTION = `adagrad_push_${VERSION}`;
export const PROGRESS_FUNCTION = `adagrad_progress_${VERSION}`;

export const LIBRARY_CODE =
  `#!lua name=${LIBRARY}\n${CODE_BODY}\n` +
  `redis.register_function('${PUSH_FUNCTION}', push)\n` +
  `redis.register_function('${PROGRESS_FUNCTION}', progress)\n`;
