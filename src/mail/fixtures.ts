/**
 * The lab's default mailbox (user alice, password wonderland) and a seeded generator of
 * realistic messages for scale tests. Every message here is our own writing; bytes are CRLF
 * (RFC 5322 §2.1) and dates are fixed so the lab, its tests and the TCP server agree.
 */
import { MailStore, type FolderSet } from './store';
import type { ByteString } from './types';
import { toCrlf, utf8ToByteString } from './store';

export const LAB_USER = 'alice';
export const LAB_PASSWORD = 'wonderland';
export const LAB_DOMAIN = 'wonderland.example';

export interface LabMessage {
  raw: ByteString;
  /** Internal date (ms since the epoch). */
  internalDate: number;
  flags?: string[];
}

/** Builds CRLF bytes from text written with "\n"; non-ASCII text is encoded as UTF-8 octets. */
function msg(text: string): ByteString {
  return toCrlf(utf8ToByteString(text));
}

function base64(bytes: ByteString, width = 76): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes.charCodeAt(i);
    const b = i + 1 < bytes.length ? bytes.charCodeAt(i + 1) : 0;
    const c = i + 2 < bytes.length ? bytes.charCodeAt(i + 2) : 0;
    out += alphabet[a >> 2] + alphabet[((a & 3) << 4) | (b >> 4)];
    out += i + 1 < bytes.length ? alphabet[((b & 15) << 2) | (c >> 6)] : '=';
    out += i + 2 < bytes.length ? alphabet[c & 63] : '=';
  }
  return out.replace(new RegExp(`(.{${width}})`, 'g'), '$1\n').replace(/\n$/, '');
}

/** A small, well-formed one-page PDF (our own), so the attachment is something real clients can open. */
function tinyPdf(title: string, lines: string[]): ByteString {
  const text = lines
    .map((l, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${l.replace(/[()\\]/g, '')}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${title}) >>`,
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}

const at = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi);

/** INBOX of the default lab account, oldest first (UIDs 1..12 in this order). */
export const LAB_INBOX: readonly LabMessage[] = [
  {
    internalDate: at(2025, 3, 3, 8, 2),
    raw: msg(`Return-Path: <rabbit@wonderland.example>
Received: from burrow.wonderland.example (burrow.wonderland.example [192.0.2.17])
	by mail.wonderland.example with ESMTP id 4F2A19C03
	for <alice@wonderland.example>; Mon, 3 Mar 2025 08:01:57 +0000
From: White Rabbit <rabbit@wonderland.example>
To: Alice <alice@wonderland.example>
Subject: I'm late! The meeting moved to 3 o'clock
Date: Mon, 3 Mar 2025 08:01:55 +0000
Message-ID: <20250303080155.1@burrow.wonderland.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Alice,

Sorry for the short notice: the Duchess changed her plans, so our
meeting is now at 3 o'clock instead of noon. Same place, the small
door at the end of the hall. Bring the golden key.

No time to say more, I'm late, I'm late!

-- 
W. Rabbit, Herald to the Court
`),
  },
  {
    internalDate: at(2025, 3, 3, 16, 45),
    raw: msg(`From: Mad Hatter <hatter@teaparty.example>
To: Alice <alice@wonderland.example>
Cc: March Hare <hare@teaparty.example>
Subject: Tea party on Thursday
Date: Mon, 3 Mar 2025 16:44:10 +0000
Message-ID: <tea-thursday-0303@teaparty.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_tea_4f1c"

This is a multi-part message in MIME format.

--=_tea_4f1c
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Dear Alice,

You are invited to a very merry unbirthday tea party.

  When:  Thursday, six o'clock (it is always six o'clock)
  Where: the long table under the tree

Why is a raven like a writing-desk? Come and tell us.

The Hatter
--=_tea_4f1c
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<html><body>
<p>Dear Alice,</p>
<p>You are invited to a <b>very merry unbirthday</b> tea party.</p>
<ul><li>When: Thursday, six o'clock (it is always six o'clock)</li>
<li>Where: the long table under the tree</li></ul>
<p><i>Why is a raven like a writing-desk?</i> Come and tell us.</p>
<p>The Hatter</p>
</body></html>
--=_tea_4f1c--
`),
  },
  {
    internalDate: at(2025, 3, 4, 9, 30),
    raw:
      msg(`From: Queen of Hearts <queen@hearts.example>
To: Alice <alice@wonderland.example>
Subject: Croquet tournament: rules attached
Date: Tue, 4 Mar 2025 09:29:00 +0000
Message-ID: <croquet-rules-2025@hearts.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_71_1740c"

------=_Part_71_1740c
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

The tournament starts on Saturday. The rules are attached; read them.
Flamingos will be provided. Hedgehogs too.

Anyone who loses will be dealt with.

Q.
------=_Part_71_1740c
Content-Type: application/pdf; name="croquet-rules.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="croquet-rules.pdf"

`) +
      toCrlf(
        base64(
          tinyPdf('Croquet rules', [
            'Royal Croquet: the rules',
            '1. Mallets are flamingos. Balls are hedgehogs.',
            '2. Arches are soldiers, who may wander off.',
            '3. Everyone plays at once, without waiting for turns.',
            '4. The Queen always wins.',
          ]),
        ) + '\n------=_Part_71_1740c--\n',
      ),
  },
  {
    internalDate: at(2025, 3, 4, 22, 13),
    raw: msg(`From: =?UTF-8?Q?Cheshire_Cat_=F0=9F=98=BA?= <cat@cheshire.example>
To: Alice <alice@wonderland.example>
Subject: =?UTF-8?B?w4dhIHZhPyBKZSBzdWlzIGxlIGNoYXQgcXVpIHNvdXJpdA==?=
Date: Tue, 4 Mar 2025 22:12:48 +0000
Message-ID: <grin.0304@cheshire.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Bonjour Alice,

Tu demandes quel chemin prendre ? Cela d=C3=A9pend beaucoup de l=C3=A0 o=
=C3=B9 tu veux aller. =C3=80 droite habite le Chapelier, =C3=A0 gauche le=
 Li=C3=A8vre de Mars. Rends visite =C3=A0 qui tu veux : ils sont fous tous=
 les deux.

=E2=80=94 le Chat (il ne reste que le sourire)
`),
  },
  {
    internalDate: at(2025, 3, 5, 7, 5),
    raw: msg(`From: Caterpillar <caterpillar@mushroom.example>
To: alice@wonderland.example
Subject: Who are YOU? (notes on dots)
Date: Wed, 5 Mar 2025 07:04:31 +0000
Message-ID: <hookah-5@mushroom.example>
Content-Type: text/plain; charset=us-ascii

Some lines below start with a dot. A POP3 server must add a second
dot in front of them, and the client must take it away again.

.one side will make you grow taller
..the other side will make you grow shorter
.
...
That single dot above is NOT the end of this message.
`),
  },
  {
    internalDate: at(2025, 3, 5, 13, 40),
    raw: msg(`From: Dodo <dodo@caucus.example>
To: Alice <alice@wonderland.example>
Subject: Fwd: Caucus-race results
Date: Wed, 5 Mar 2025 13:39:02 +0000
Message-ID: <fwd-race-0305@caucus.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-8d1e"

--fwd-8d1e
Content-Type: text/plain; charset=us-ascii

Forwarding the Lory's message. Everybody has won, and all must have prizes.
You are to give out the prizes, I'm afraid.

--fwd-8d1e
Content-Type: message/rfc822
Content-Disposition: inline

From: Lory <lory@caucus.example>
To: Dodo <dodo@caucus.example>
Subject: Caucus-race results
Date: Wed, 5 Mar 2025 12:15:00 +0000
Message-ID: <race-results@caucus.example>
Content-Type: text/plain; charset=us-ascii

Results of this morning's race, run round and round the course:

  Mouse      dry
  Duck       dry
  Eaglet     dry
  Lory       dry (and older, so knows best)

Everybody has won.
--fwd-8d1e--
`),
  },
  {
    internalDate: at(2025, 3, 6, 11, 20),
    raw: msg(`From: The Duchess <duchess@kitchen.example>
To: Alice <alice@wonderland.example>
Cc: Cook <cook@kitchen.example>
Reply-To: Cook <cook@kitchen.example>
Subject: Re: Too much pepper
In-Reply-To: <pepper-q@wonderland.example>
References: <pepper-q@wonderland.example>
Date: Thu, 6 Mar 2025 11:19:44 +0000
Message-ID: <pepper-a@kitchen.example>
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

> Could the soup have a little less pepper next time?

Everything's got a moral, if only you can find it. The moral of this is:
the cook decides. Send your complaints to her (I have set Reply-To).

The Duchess
`),
  },
  {
    internalDate: at(2025, 3, 7, 10, 0),
    raw: msg(`From: Tweedledum <dum@tweedle.example>
To: Tweedledee <dee@tweedle.example>, Alice <alice@wonderland.example>
Subject: Re: Re: the new rattle
In-Reply-To: <rattle-2@tweedle.example>
References: <rattle-1@tweedle.example> <rattle-2@tweedle.example>
Date: Fri, 7 Mar 2025 09:59:30 +0000
Message-ID: <rattle-3@tweedle.example>
Content-Type: text/plain; charset=us-ascii

Contrariwise, if it was so, it might be; and if it were so, it would be;
but as it isn't, it ain't. That's logic.

We fight at six. Alice, you may hold the umbrella.
`),
  },
  {
    internalDate: at(2025, 3, 8, 15, 25),
    raw: msg(`From: Mock Turtle <mockturtle@sea.example>
To: Alice <alice@wonderland.example>
Subject: Lobster Quadrille: step by step
Date: Sat, 8 Mar 2025 15:24:09 +0000
Message-ID: <quadrille@sea.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=quad

--quad
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Form two lines along the sea-shore =E2=80=94 seals, turtles, salmon, and so o=
n.
Advance twice, set to partners, change lobsters, retire in same order.
Then throw the lobsters as far out to sea as you can!
--quad
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Form two lines along the sea-shore =E2=80=94 seals, turtles, salmon, and s=
o on.</p><ol><li>Advance twice</li><li>Set to partners</li><li>Change lobst=
ers, retire in same order</li></ol><p><b>Then throw the lobsters!</b></p>
--quad--
`),
  },
  {
    internalDate: at(2025, 3, 10, 6, 0),
    raw: msg(`From: Wonderland Gazette <news@gazette.example>
To: alice@wonderland.example
Subject: This week in Wonderland: tarts stolen, trial on Monday
Date: Mon, 10 Mar 2025 06:00:00 +0000
Message-ID: <gazette-2025-10@gazette.example>
List-Id: Wonderland Gazette <weekly.gazette.example>
List-Unsubscribe: <mailto:unsubscribe@gazette.example?subject=weekly>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="gz-10"

--gz-10
Content-Type: text/plain; charset=us-ascii

THIS WEEK IN WONDERLAND

* The tarts are missing. The Queen made some tarts, all on a summer
  day; the Knave of Hearts is suspected of taking them quite away.
* The trial opens Monday at the Court. The King will be the judge; the
  jury (twelve creatures, one of them a lizard) has been sworn in.
* Weather: curiouser and curiouser, with a chance of pool of tears.

You receive this because you subscribed to the Gazette.
--gz-10
Content-Type: text/html; charset=us-ascii

<html><body><h1>This week in Wonderland</h1>
<ul><li>The tarts are missing. The Knave of Hearts is suspected.</li>
<li>The trial opens Monday at the Court. The King will be the judge.</li>
<li>Weather: curiouser and curiouser, with a chance of pool of tears.</li></ul>
<p style="font-size:small">You receive this because you subscribed to the Gazette.</p>
</body></html>
--gz-10--
`),
  },
  {
    internalDate: at(2025, 3, 11, 18, 2),
    raw: msg(`From: March Hare <hare@teaparty.example>
To: Alice <alice@wonderland.example>
Subject:
Date: Tue, 11 Mar 2025 18:01:37 +0000
Message-ID: <no-subject-0311@teaparty.example>

Have some wine. (There isn't any.)
`),
  },
  {
    internalDate: at(2025, 3, 12, 12, 12),
    raw:
      msg(`From: Bill the Lizard <bill@chimney.example>
To: Alice <alice@wonderland.example>
Subject: Invoice for the chimney repair
Date: Wed, 12 Mar 2025 12:11:50 +0000
Message-ID: <invoice-77@chimney.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inv77"

--inv77
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

`) +
      toCrlf(
        'Hello Alice,\n\nThe fa\xe7ade and the chimney are fixed. The invoice is attached as a\nspreadsheet. Payment in gingerbread is fine.\n\nBill\n--inv77\nContent-Type: text/csv; charset=us-ascii; name="invoice-77.csv"\nContent-Disposition: attachment; filename="invoice-77.csv"\n\nitem,quantity,price\nladder,1,3.50\nchimney sweep,2,4.00\nbroken window,1,12.25\ntotal,,23.75\n--inv77--\n',
      ),
  },
];

/** A few messages in other folders, so folder lessons have something to show. */
export const LAB_FOLDERS: Readonly<Record<string, readonly LabMessage[]>> = {
  Sent: [
    {
      internalDate: at(2025, 3, 4, 8, 0),
      flags: ['\\Seen'],
      raw: msg(`From: Alice <alice@wonderland.example>
To: Mad Hatter <hatter@teaparty.example>
Subject: Re: Tea party on Thursday
In-Reply-To: <tea-thursday-0303@teaparty.example>
Date: Tue, 4 Mar 2025 07:59:12 +0000
Message-ID: <re-tea-0304@wonderland.example>
Content-Type: text/plain; charset=us-ascii

I'll be there. I still don't know about the raven, though.

Alice
`),
    },
  ],
  Archive: [
    {
      internalDate: at(2025, 2, 14, 17, 30),
      flags: ['\\Seen', '\\Flagged'],
      raw: msg(`From: Alice's Sister <sister@riverbank.example>
To: Alice <alice@wonderland.example>
Subject: Picnic by the river
Date: Fri, 14 Feb 2025 17:29:00 +0000
Message-ID: <picnic@riverbank.example>
Content-Type: text/plain; charset=us-ascii

Shall we read by the river bank on Sunday? I'll bring the book
(the one without pictures or conversations, sorry).
`),
    },
  ],
};

export interface LabStoreOptions {
  user?: string;
  password?: string;
  /** Virtual clock for the store. */
  now?: () => number;
  /** INBOX contents instead of the default dozen (e.g. imported .eml files). */
  inbox?: readonly LabMessage[];
  /** Also fill Sent and Archive (default: only when `inbox` is not given and the folders exist). */
  folders?: boolean;
  /** The account's starting mailboxes (default `special-use`); `inbox` is INBOX alone. */
  folderSet?: FolderSet;
}

/** A store with the lab account and its mailbox filled: INBOX (UIDs 1..N in order), Sent, Archive. */
export function createLabStore(options: LabStoreOptions = {}): MailStore {
  const store = new MailStore({ now: options.now });
  const user = options.user ?? LAB_USER;
  const folderSet = options.folderSet ?? 'special-use';
  store.addAccount(user, options.password ?? LAB_PASSWORD, { folders: folderSet });
  for (const m of options.inbox ?? LAB_INBOX)
    store.deliver(user, 'INBOX', m.raw, { internalDate: m.internalDate, flags: m.flags, origin: 'system' });
  if (options.folders ?? (options.inbox === undefined && folderSet === 'special-use')) {
    for (const [mailbox, list] of Object.entries(LAB_FOLDERS))
      for (const m of list)
        store.deliver(user, mailbox, m.raw, {
          internalDate: m.internalDate,
          flags: m.flags,
          origin: 'system',
        });
  }
  return store;
}

// ---------------------------------------------------------------------------------------------
// Seeded generator

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; same seed, same messages. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Luca',
  'Mei',
  'Nora',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tara',
];
const LAST = [
  'Abbott',
  'Baker',
  'Castro',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'corp.example', 'uni.example'];
const TOPICS = [
  'budget',
  'meeting',
  'report',
  'trip',
  'invoice',
  'release',
  'garden',
  'recipe',
  'concert',
  'workshop',
  'lunch',
  'holiday',
  'review',
  'deadline',
  'newsletter',
];
const OPENERS = [
  'Quick question about the',
  'Notes from the',
  'Update on the',
  'Re: the',
  'Draft of the',
  'Photos from the',
  'Reminder: the',
  'Thoughts on the',
];
const WORDS =
  'the a to of and in that is for on with as it be at by this we you are from or have an they which one will all would there their what so up out if about who get go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us'.split(
    ' ',
  );
const NON_ASCII_SUBJECTS = [
  'Café meeting',
  'Über das Treffen',
  'Résumé attached',
  'Año nuevo',
  'Smörgåsbord on Friday',
  'Straße closed',
  'Déjà vu',
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

function paragraph(rnd: () => number, words: number): string {
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < words; i++) {
    let w = pick(rnd, WORDS);
    if (i === 0 || rnd() < 0.08) w = w[0].toUpperCase() + w.slice(1);
    if (line.length + w.length + 1 > 72) {
      out.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + w;
    if (rnd() < 0.07) line += '.';
  }
  out.push(line + '.');
  return out.join('\n');
}

function encodedSubject(text: string): string {
  const bytes = utf8ToByteString(text);
  let q = '';
  for (const ch of bytes) {
    const c = ch.charCodeAt(0);
    q +=
      c === 32
        ? '_'
        : c > 126 || ch === '=' || ch === '?' || ch === '_'
          ? '=' + c.toString(16).toUpperCase().padStart(2, '0')
          : ch;
  }
  return `=?UTF-8?Q?${q}?=`;
}

function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface GenerateOptions {
  /** Date of the first message (default 2025-01-01T00:00Z); later ones follow at random gaps. */
  start?: number;
  /** Mean gap between messages in ms (default 3 hours). */
  meanGap?: number;
  /** Recipient address (default alice@wonderland.example). */
  to?: string;
}

/**
 * N realistic messages, deterministic for a seed: plain ones of varied length, some
 * multipart/alternative, some with an attachment (a few KB up to ~60 KB), a few with non-ASCII
 * subjects and lines starting with a dot. Oldest first.
 */
export function generateMessages(count: number, seed = 1, options: GenerateOptions = {}): LabMessage[] {
  const rnd = random(seed);
  const out: LabMessage[] = [];
  let time = options.start ?? Date.UTC(2025, 0, 1);
  const meanGap = options.meanGap ?? 3 * 3600 * 1000;
  const to = options.to ?? `${LAB_USER}@${LAB_DOMAIN}`;
  for (let i = 0; i < count; i++) {
    time += Math.floor(-Math.log(1 - rnd()) * meanGap) + 1000;
    const first = pick(rnd, FIRST);
    const last = pick(rnd, LAST);
    const domain = pick(rnd, DOMAINS);
    const topic = pick(rnd, TOPICS);
    const subject =
      rnd() < 0.06
        ? encodedSubject(pick(rnd, NON_ASCII_SUBJECTS))
        : `${pick(rnd, OPENERS)} ${topic} (#${i + 1})`;
    const id = `<gen-${seed}-${i + 1}.${(time / 1000).toFixed(0)}@${domain}>`;
    // Body length: mostly short, sometimes long (a rough long tail, as in real mailboxes).
    const words = 20 + Math.floor(rnd() ** 3 * 1500);
    let text = paragraph(rnd, words);
    if (rnd() < 0.05) text += '\n.\n..hidden behind a dot\n';
    text += `\n\n${first}\n`;
    const head = [
      `From: ${first} ${last} <${first.toLowerCase()}.${last.toLowerCase()}@${domain}>`,
      `To: ${to}`,
      `Subject: ${subject}`,
      `Date: ${rfc5322Date(time - Math.floor(rnd() * 60000))}`,
      `Message-ID: ${id}`,
      'MIME-Version: 1.0',
    ];
    const kind = rnd();
    let raw: string;
    if (kind < 0.6) {
      raw = [...head, 'Content-Type: text/plain; charset=us-ascii', '', text].join('\n');
    } else if (kind < 0.85) {
      const b = `alt-${seed}-${i}`;
      const html = `<html><body>${text
        .split('\n\n')
        .map((p) => `<p>${p.replace(/\n/g, ' ')}</p>`)
        .join('\n')}</body></html>\n`;
      raw = [
        ...head,
        `Content-Type: multipart/alternative; boundary="${b}"`,
        '',
        `--${b}`,
        'Content-Type: text/plain; charset=us-ascii',
        '',
        text,
        `--${b}`,
        'Content-Type: text/html; charset=us-ascii',
        '',
        html + `--${b}--`,
        '',
      ].join('\n');
    } else {
      const b = `mix-${seed}-${i}`;
      const size = 1000 + Math.floor(rnd() ** 2 * 45000);
      let bytes = '';
      for (let k = 0; k < size; k++) bytes += String.fromCharCode(Math.floor(rnd() * 256));
      const name = `${topic}-${i + 1}.bin`;
      raw = [
        ...head,
        `Content-Type: multipart/mixed; boundary="${b}"`,
        '',
        `--${b}`,
        'Content-Type: text/plain; charset=us-ascii',
        '',
        text,
        `--${b}`,
        `Content-Type: application/octet-stream; name="${name}"`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="${name}"`,
        '',
        base64(bytes),
        `--${b}--`,
        '',
      ].join('\n');
    }
    out.push({ raw: toCrlf(raw), internalDate: time });
  }
  return out;
}
