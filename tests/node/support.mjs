// Shared by the client tests: a fake Klaviyo upstream and the server under test.
import { spawn } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';

// A minimal Klaviyo-like upstream on loopback that records what it receives.
export async function startFakeUpstream() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' });
      res.end(JSON.stringify({
        data: [{ type: 'list', id: 'Y6nRLr', attributes: { name: 'Newsletter' }, links: { self: 'x' } }],
        links: { self: 'x', next: null },
      }));
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

export function serverEnv(upstreamUrl) {
  return {
    PATH: process.env.PATH,
    KLAVIYO_API_KEY: 'pk_test_node_client',
    KLAVIYO_BASE_URL: upstreamUrl,
  };
}

// Starts `binary --http 127.0.0.1:0` and resolves with its URL once it logs that it listens.
export function startHttpServer(binary, env, extraArgs = []) {
  const child = spawn(binary, ['--http', '127.0.0.1:0', ...extraArgs], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('server did not start in 20 s')); }, 20000);
    const lines = readline.createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      let entry;
      try { entry = JSON.parse(line); } catch { return; }
      if (entry.event === 'listening') {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${entry.port}/mcp`,
          stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited early (${code})`)); });
  });
}

// Prints the summary line the test runner reads and sets the exit code.
export function report(results) {
  const failed = results.filter((r) => !r.ok);
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}
