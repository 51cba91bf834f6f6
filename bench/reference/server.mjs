// The benchmark's reference: an MCP server on the official TypeScript SDK, written the way its
// documentation shows, exposing the tools klaviyo-mcp lists (the same definitions, read from
// `klaviyo-mcp tools export --format mcp`) and forwarding the read tools below to the same
// upstream with the same headers. It validates nothing and shapes nothing, so it does less per
// call than klaviyo-mcp: the ratios the benchmark reports are, if anything, in its favour.
//
//   node server.mjs --tools FILE --upstream URL [--http PORT]   (stdio without --http)
//
// Over HTTP it prints {"event":"listening","port":N} on stderr once it accepts connections.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const tools = JSON.parse(readFileSync(option('--tools'), 'utf8'));
const upstream = option('--upstream');
const httpPort = option('--http');
const apiKey = process.env.KLAVIYO_API_KEY ?? 'pk_bench';

// The calls it can make: tool -> method and path (an {id} argument fills the path).
const routes = {
  get_lists: { method: 'GET', path: '/api/lists' },
  get_list: { method: 'GET', path: '/api/lists/{id}' },
  get_profiles: { method: 'GET', path: '/api/profiles' },
  get_metrics: { method: 'GET', path: '/api/metrics' },
};

async function callTool(name, args) {
  const route = routes[name];
  if (!route) return { isError: true, content: [{ type: 'text', text: `unknown tool ${name}` }] };
  const path = route.path.replace('{id}', encodeURIComponent(String(args?.id ?? '')));
  try {
    const reply = await fetch(upstream + path, {
      method: route.method,
      headers: {
        Authorization: `Klaviyo-API-Key ${apiKey}`,
        revision: '2026-07-15',
        accept: 'application/vnd.api+json',
      },
    });
    const text = await reply.text();
    return { isError: !reply.ok, content: [{ type: 'text', text }] };
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: String(error) }] };
  }
}

function makeServer() {
  const server = new Server({ name: 'reference-sdk-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) =>
    callTool(request.params.name, request.params.arguments));
  return server;
}

if (!httpPort) {
  await makeServer().connect(new StdioServerTransport());
} else {
  // One transport and server per session, found by its Mcp-Session-Id: the SDK's stateful pattern.
  const sessions = new Map();
  const readBody = (req) => new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  const listener = http.createServer(async (req, res) => {
    try {
      const text = req.method === 'POST' ? await readBody(req) : '';
      const body = text ? JSON.parse(text) : undefined;
      const id = req.headers['mcp-session-id'];
      let transport = id ? sessions.get(id) : undefined;
      if (!transport) {
        if (id || body?.method !== 'initialize') {
          res.writeHead(id ? 404 : 400).end();
          return;
        }
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: true,
          onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
        });
        transport.onclose = () => sessions.delete(transport.sessionId);
        await makeServer().connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  listener.keepAliveTimeout = 60000;
  listener.listen(Number(httpPort), '127.0.0.1', () => {
    process.stderr.write(`${JSON.stringify({ event: 'listening', port: listener.address().port })}\n`);
  });
}
