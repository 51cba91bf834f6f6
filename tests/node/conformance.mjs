// Runs the official MCP conformance suite's whole active server suite (30 scenarios) against our
// HTTP transport, with the fixture tools, resources and prompts it calls by name.
import { spawnSync } from 'node:child_process';
import { report, serverEnv, startFakeUpstream, startHttpServer } from './support.mjs';

const binary = process.argv[2];
const upstream = await startFakeUpstream();
const server = await startHttpServer(binary, serverEnv(upstream.url), ['--conformance-fixtures']);
const results = [];
try {
  const run = spawnSync('conformance', ['server', '--url', server.url], { encoding: 'utf8', timeout: 600000 });
  const output = `${run.stdout}\n${run.stderr}`;
  // One line per scenario: "✓ name: N passed, 0 failed" or "✗ name: ...".
  const lines = output.split('\n').filter((l) => /^[✓✗] [a-z0-9-]+: /.test(l));
  for (const line of lines) {
    const name = line.slice(2, line.indexOf(':'));
    const ok = line.startsWith('✓') && / 0 failed/.test(line);
    results.push({ name, ok, detail: ok ? '' : line });
  }
  // The suite exits non-zero when any check fails; 30 scenarios make up its active suite.
  if (run.status !== 0 || lines.length < 30) {
    results.push({ name: 'suite', ok: false,
                   detail: `exit ${run.status}, ${lines.length} scenarios\n${output.trim().split('\n').slice(-40).join('\n')}` });
  }
} finally {
  await server.stop();
  upstream.close();
}
report(results);
