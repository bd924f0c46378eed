// The demo's mail catcher: a real SMTP server (smtp-server) on 127.0.0.1:2525 that keeps every message under
// .local/mail/ and lists them at http://127.0.0.1:2526/messages — the buyer's inbox for `npm start`.
// (With docker, compose runs Mailpit for the same job.)
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const dir = process.env.DEV_MAIL_DIR ?? path.resolve(__dirname, '..', '.local', 'mail');
fs.mkdirSync(dir, { recursive: true });
const smtpPort = Number(process.env.DEV_MAIL_SMTP_PORT ?? 2525);
const httpPort = Number(process.env.PORT ?? 2526);
const inbox = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${session.id}.eml`;
      fs.writeFileSync(path.join(dir, name), raw, { mode: 0o600 });
      const mail = await simpleParser(raw).catch(() => undefined);
      inbox.push({
        file: name,
        to: mail?.to?.text,
        subject: mail?.subject,
        date: mail?.date,
        messageId: mail?.messageId,
        orderId: mail?.headers.get('x-keyflow-order-id'),
        purpose: mail?.headers.get('x-keyflow-purpose'),
      });
      callback();
    });
  },
});
smtp.listen(smtpPort, '127.0.0.1');

http
  .createServer((request, response) => {
    if (request.url === '/health/ready' || request.url === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (request.url === '/messages') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(inbox, null, 2));
    } else {
      response.writeHead(404).end();
    }
  })
  .listen(httpPort, '127.0.0.1');

const stop = () => smtp.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
