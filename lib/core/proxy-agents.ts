/**
 * Keep-alive `http.Agent`s per route: direct, or through an HTTP(S) proxy, for plain HTTP
 * (absolute-URI requests, http-proxy-agent) and for TLS (a CONNECT tunnel, https-proxy-agent).
 * Both libraries are `http.Agent` subclasses, so node's http/https clients — which the registry
 * client and the JD Cloud transport already use — keep their streaming, timeouts and pooling.
 *
 * Not imported by anything the in-cluster refresher bundles: the agents pull in agent-base and
 * debug, and the CLI injects `agentFor` where it builds the clients instead.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ProxyResolver, type ProxySettings } from './proxy';

export interface ProxyAgentOptions {
  /** sockets per origin */
  maxSockets?: number;
  keepAlive?: boolean;
}

/** What a transport asks for before each request. */
export type AgentFor = (url: URL, options?: { insecureTls?: boolean }) => http.Agent;

export class ProxyAgents {
  readonly resolver: ProxyResolver;
  private readonly agents = new Map<string, http.Agent>();
  private readonly base: { keepAlive: boolean; maxSockets: number };

  constructor(settings: ProxySettings | ProxyResolver = {}, options: ProxyAgentOptions = {}) {
    this.resolver = settings instanceof ProxyResolver ? settings : new ProxyResolver(settings);
    this.base = { keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? 16 };
  }

  /** The proxy a request to `url` goes through (for messages), or undefined. */
  proxyFor(url: URL): URL | undefined {
    return this.resolver.proxyFor(url);
  }

  readonly agentFor: AgentFor = (url, options = {}) => {
    const secure = url.protocol === 'https:';
    const proxy = this.resolver.proxyFor(url);
    // TLS options ride on the request for proxied routes (https-proxy-agent passes them to the
    // tunnelled tls.connect); separate agents still keep verified and unverified sockets apart.
    const key = `${secure ? 'https' : 'http'} ${options.insecureTls ? 'insecure' : 'verified'} ${proxy?.href ?? 'direct'}`;
    let agent = this.agents.get(key);
    if (!agent) {
      if (proxy) agent = secure ? new HttpsProxyAgent(proxy, this.base) : new HttpProxyAgent(proxy, this.base);
      else if (secure) agent = new https.Agent({ ...this.base, rejectUnauthorized: !options.insecureTls });
      else agent = new http.Agent(this.base);
      this.agents.set(key, agent);
    }
    return agent;
  };

  /** Close idle keep-alive sockets so a CLI run (or a test) can exit promptly. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
