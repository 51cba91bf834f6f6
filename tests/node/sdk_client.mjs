// The official TypeScript SDK client connects over stdio and over Streamable HTTP, lists every
// tool (following cursors; --toolsets all, beyond the default core set) and calls one against a
// fake upstream; a destructive call asks the human through elicitation, and runs only on yes.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { report, serverEnv, startFakeUpstream, startHttpServer } from './support.mjs';

const binary = process.argv[2];
const results = [];
const check = (name, ok, detail = '') => results.push({ name, ok: Boolean(ok), detail: ok ? '' : detail });

async function exercise(label, transport, upstream) {
  const client = new Client({ name: 'sdk-test-client', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  // The human's answers to the server's questions, in order; each question asked is kept.
  const answers = [];
  const asked = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params);
    return answers.shift() ?? { action: 'cancel' };
  });
  await client.connect(transport);
  try {
    check(`${label}: server info`, client.getServerVersion()?.name === 'klaviyo-mcp',
          JSON.stringify(client.getServerVersion()));

    const tools = [];
    let cursor;
    let pages = 0;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    const names = new Set(tools.map((t) => t.name));
    check(`${label}: lists every tool once`, names.size === tools.length && tools.length >= 51,
          `${tools.length} tools, ${names.size} distinct`);
    check(`${label}: get_lists and add_profiles_to_list listed`,
          names.has('get_lists') && names.has('add_profiles_to_list'));
    check(`${label}: every tool has an object input schema`,
          tools.every((t) => t.inputSchema?.type === 'object'));

    const before = upstream.requests.length;
    const result = await client.callTool({ name: 'get_lists', arguments: { page_size: 5 } });
    const sent = upstream.requests.slice(before);
    check(`${label}: get_lists succeeds`, !result.isError, JSON.stringify(result));
    check(`${label}: get_lists reached the upstream once`,
          sent.length === 1 && sent[0].method === 'GET' && sent[0].url.startsWith('/api/lists'),
          JSON.stringify(sent.map((r) => r.url)));
    check(`${label}: result is flattened`,
          result.structuredContent?.data?.[0]?.id === 'Y6nRLr' &&
          result.structuredContent?.data?.[0]?.name === 'Newsletter',
          JSON.stringify(result.structuredContent));

    check(`${label}: no conformance fixture listed without --conformance-fixtures`, !names.has('test_simple_text'));

    // Destructive: the server asks through elicitation/create; only "yes" sends the DELETE.
    const deletes = () => upstream.requests.filter((r) => r.method === 'DELETE').length;
    const deletesBefore = deletes();
    answers.push({ action: 'decline' });
    const declined = await client.callTool({ name: 'delete_list', arguments: { list_id: 'Y6nRLr' } });
    check(`${label}: a declined delete asks once and sends nothing`,
          asked.length === 1 && declined.isError === true && deletes() === deletesBefore,
          JSON.stringify({ asked, declined }));
    check(`${label}: the question names the tool`, JSON.stringify(asked[0] ?? {}).includes('delete_list'),
          JSON.stringify(asked[0]));
    answers.push({ action: 'accept', content: { confirm: true } });
    const accepted = await client.callTool({ name: 'delete_list', arguments: { list_id: 'Y6nRLr' } });
    check(`${label}: an accepted delete sends one DELETE`,
          asked.length === 2 && deletes() === deletesBefore + 1 &&
          upstream.requests.at(-1).url.startsWith('/api/lists/Y6nRLr'),
          JSON.stringify({ accepted, urls: upstream.requests.slice(-2).map((r) => `${r.method} ${r.url}`) }));

    const bad = await client.callTool({ name: 'add_profiles_to_list', arguments: { list_id: 'Y6nRLr', profile_ids: [] } });
    check(`${label}: invalid arguments give an isError result`, bad.isError === true, JSON.stringify(bad));
  } finally {
    await client.close();
  }
}

const upstream = await startFakeUpstream();
try {
  await exercise('stdio', new StdioClientTransport({ command: binary, args: ['--stdio', '--toolsets', 'all'], env: serverEnv(upstream.url), stderr: 'ignore' }), upstream);
  const server = await startHttpServer(binary, serverEnv(upstream.url), ['--toolsets', 'all']);
  try {
    await exercise('http', new StreamableHTTPClientTransport(new URL(server.url)), upstream);
  } finally {
    await server.stop();
  }
} catch (error) {
  check('client session', false, error.stack ?? String(error));
} finally {
  upstream.close();
}
report(results);
