/**
 * The update that runs inside Redis: a Redis Function library (Lua) that applies AdaGrad or FTRL to
 * one block's pushed (offset, gradient) pairs atomically, and records a worker's progress.
 *
 * A block is one Redis string of float32 little-endian sections of B coordinates each: the weights
 * w first (so a worker fetches them with one GETRANGE, never the optimizer state), then the state,
 * G for AdaGrad, z and n for FTRL. A block that does not exist yet is all zeros (G at its initial
 * value). Lua computes in float64 and stores float32, so one worker pushing every example matches
 * the local learner within float32 rounding.
 *
 * The library's name carries a checksum of its code: loading is `FUNCTION LOAD` without REPLACE,
 * once per master, and a library already there (this code, loaded by another worker) is kept.
 */
import { crc32 } from '../learn/crc32.js';

const CODE_BODY = `
-- KEYS[1] the block; ARGV: kind ('adagrad' or 'ftrl'), B, offsets (uint16 LE, ascending, unique),
-- gradients (float32 LE), then adagrad: lr, eps, eps inside the root (0/1), skip G = 0 (0/1),
-- initial G; ftrl: alpha, beta, l1, l2.
local function push(keys, args)
  -- Libraries are read at load time without math or struct: bind them per call.
  local sqrt, abs, unpack = math.sqrt, math.abs, struct.unpack
  local function unpack_f(s, at) return (unpack('<f', s, at)) end
  local key, kind, B = keys[1], args[1], tonumber(args[2])
  local offs, grads = args[3], args[4]
  local m = #offs / 2
  if #grads ~= 4 * m then return redis.error_reply('adagrad: offsets and gradients differ in length') end
  local sections = (kind == 'ftrl') and 3 or 2
  local size = 4 * B
  local blk = redis.call('GET', key)
  if not blk then
    local zeros = string.rep('\\0\\0\\0\\0', B)
    local init = (kind == 'adagrad') and tonumber(args[9]) or 0
    if init ~= 0 then blk = zeros .. string.rep(struct.pack('<f', init), B)
    else blk = string.rep(zeros, sections) end
  elseif #blk ~= size * sections then
    return redis.error_reply('adagrad: block ' .. key .. ' holds ' .. #blk .. ' bytes, not ' .. size * sections)
  end
  local at, nw, ns1, ns2 = {}, {}, {}, {}
  if kind == 'adagrad' then
    local lr, eps = tonumber(args[5]), tonumber(args[6])
    local inside, skipZero = args[7] == '1', args[8] == '1'
    for j = 1, m do
      local o = struct.unpack('<H', offs, 2 * j - 1)
      local g = unpack_f(grads, 4 * j - 3)
      local w = unpack_f(blk, 4 * o + 1)
      local G = unpack_f(blk, size + 4 * o + 1) + g * g
      if not inside then w = w - lr * g / (sqrt(G) + eps)
      elseif not (skipZero and G == 0) then w = w - lr * g / sqrt(G + eps) end
      at[j], nw[j], ns1[j] = 4 * o, w, G
    end
  elseif kind == 'ftrl' then
    local alpha, beta, l1, l2 = tonumber(args[5]), tonumber(args[6]), tonumber(args[7]), tonumber(args[8])
    for j = 1, m do
      local o = struct.unpack('<H', offs, 2 * j - 1)
      local g = unpack_f(grads, 4 * j - 3)
      local w = unpack_f(blk, 4 * o + 1)
      local z = unpack_f(blk, size + 4 * o + 1)
      local n = unpack_f(blk, 2 * size + 4 * o + 1)
      -- McMahan et al. 2013, Algorithm 1.
      local sigma = (sqrt(n + g * g) - sqrt(n)) / alpha
      z = z + g - sigma * w
      n = n + g * g
      if abs(z) <= l1 then w = 0
      else
        local sign = (z < 0) and -1 or 1
        w = -(z - sign * l1) / ((beta + sqrt(n)) / alpha + l2)
      end
      at[j], nw[j], ns1[j], ns2[j] = 4 * o, w, z, n
    end
  else
    return redis.error_reply('adagrad: unknown optimizer ' .. tostring(kind))
  end
  -- Rebuild the string from the untouched spans and the new values (offsets ascend).
  local parts, p = {}, 0
  local values = { nw, ns1, ns2 }
  for s = 0, sections - 1 do
    local base, copied, v = s * size, 0, values[s + 1]
    for j = 1, m do
      p = p + 1; parts[p] = string.sub(blk, base + copied + 1, base + at[j])
      p = p + 1; parts[p] = struct.pack('<f', v[j])
      copied = at[j] + 4
    end
    p = p + 1; parts[p] = string.sub(blk, base + copied + 1, base + size)
  end
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
