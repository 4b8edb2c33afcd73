import net from 'node:net';

/**
 * A TCP proxy in front of the test server, standing for the network between
 * sparkify and a warehouse: it passes every byte through, and the test can
 * make it act as a network does when things go wrong.
 */
export interface TcpProxy {
  port: number;
  /**
   * Runs `action` when a client sends a message containing `text` (a
   * statement's SQL), before the server gets it; the message goes on once
   * the action has settled. Once.
   */
  whenSent(text: string, action: () => unknown): void;
  /**
   * The connections open now fall silent: nothing passes either way any
   * more and their ends are not passed on, as when a NAT drops a connection.
   * New connections pass as before.
   */
  silenceOpenConnections(): void;
  /** New connections are refused from now on (the port is closed); open ones go on. */
  stopAccepting(): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  server: net.Socket;
  silent: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  const watches: { text: string; action: () => unknown }[] = [];
  let accepting = true;
  const listener = net.createServer((client) => {
    const server = net.connect(target.port, target.host);
    const link: Link = { client, server, silent: false };
    links.add(link);
    client.on('error', () => {});
    server.on('error', () => {});
    client.on('data', (chunk: Buffer) => {
      if (link.silent) return;
      const watch = watches.findIndex((w) => chunk.includes(w.text));
      if (watch < 0) {
        server.write(chunk);
        return;
      }
      const { action } = watches.splice(watch, 1)[0]!;
      client.pause();
      void Promise.resolve()
        .then(action)
        .catch(() => {})
        .then(() => {
          if (!link.silent) server.write(chunk);
          client.resume();
        });
    });
    server.on('data', (chunk: Buffer) => {
      if (!link.silent) client.write(chunk);
    });
    server.on('close', () => {
      if (!link.silent) client.destroy();
    });
    client.on('close', () => {
      server.destroy();
      links.delete(link);
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const stopAccepting = () => {
    if (!accepting) return;
    accepting = false;
    listener.close();
  };
  return {
    port,
    whenSent: (text, action) => void watches.push({ text, action }),
    silenceOpenConnections: () => links.forEach((link) => (link.silent = true)),
    stopAccepting,
    async close() {
      stopAccepting();
      for (const { client, server } of links) {
        client.destroy();
        server.destroy();
      }
    },
  };
}
