// `node server.mjs PORT`: PostGraphile with WORKERS (default 2) processes sharing PORT (node:cluster),
// as deskql and the baseline run 2 uvicorn workers; GET /readyz answers once a worker serves.
// `node server.mjs --print-schema`: the GraphQL schema (SDL) PostGraphile builds from DATABASE_URL.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { printSchema } from "graphql";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const [argument] = process.argv.slice(2);

if (argument === "--print-schema") {
  const pgl = postgraphile(preset);
  process.stdout.write(printSchema(await pgl.getSchema()) + "\n");
  await pgl.release();
} else if (cluster.isPrimary) {
  const workers = Number(process.env.WORKERS ?? 2);
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      for (const worker of Object.values(cluster.workers)) worker.kill("SIGTERM");
      process.exit(0);
    });
  }
} else {
  const pgl = postgraphile(preset);
  await pgl.getSchema();
  const serv = pgl.createServ(grafserv);
  const handler = serv.createHandler();
  const ready = (res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  const server = createServer((req, res) =>
    handler(req, res, () => (req.url === "/readyz" ? ready(res) : res.writeHead(404).end())),
  );
  server.keepAliveTimeout = 120_000;
  server.listen(Number(argument), "127.0.0.1");
  // Stopped with its primary: at once, open keep-alive connections and all.
  process.on("SIGTERM", () => process.exit(0));
  process.on("disconnect", () => process.exit(0));
}
