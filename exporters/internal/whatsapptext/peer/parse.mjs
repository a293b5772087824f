// parse.mjs prints how the npm whatsapp-chat-parser (pinned in
// testdata/peers) reads a WhatsApp text export, as JSON, one object per
// message: {date, author, message, attachment}. Dates are ISO 8601 in UTC;
// run it with TZ=UTC so that they are the wall-clock times of the file.
//
//	node parse.mjs PEERS_DIR CHAT.txt [daysFirst]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [peers, file, order] = process.argv.slice(2);
const lib = pathToFileURL(join(peers, 'node_modules', 'whatsapp-chat-parser', 'dist', 'index.js'));
const { parseString } = await import(lib.href);
const opts = { parseAttachments: true };
if (order === 'daysFirst') opts.daysFirst = true;
const messages = parseString(readFileSync(file, 'utf8'), opts);
process.stdout.write(JSON.stringify(messages.map(m => ({
  date: isNaN(m.date) ? null : m.date.toISOString(),
  author: m.author,
  message: m.message,
  attachment: m.attachment ? m.attachment.fileName : null,
}))));
