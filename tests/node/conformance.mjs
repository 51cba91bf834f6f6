// Runs the official MCP conformance suite's server scenarios against our HTTP transport.
import { spawnSync } from 'node:child_process';
import { report, serverEnv, startFakeUpstream, startHttpServer } from './support.mjs';

const SCENARIOS = ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'dns-rebinding-protection'];

const binary = process.argv[2];
const upstream = await startFakeUpstream();
const server = await startHttpServer(binary, serverEnv(upstream.url));
const results = [];
try {
  for (const scenario of SCENARIOS) {
    const run = spawnSync('conformance', ['server', '--url', server.url, '--scenario', scenario],
                          { encoding: 'utf8', timeout: 120000 });
    const output = `${run.stdout}\n${run.stderr}`;
    const ok = run.status === 0;  // the suite exits non-zero when any check fails
    results.push({ name: scenario, ok, detail: ok ? '' : output.trim().split('\n').slice(-25).join('\n') });
  }
} finally {
  await server.stop();
  upstream.close();
}
report(results);
