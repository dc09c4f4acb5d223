// A network namespace of the test's own: a veth pair with addresses we pick
// (10.213.x.1 and .3 on the host, 10.213.x.2 inside), and nftables rules inside it to
// cut the link or block UDP the way a dead Wi-Fi or a strict firewall does
// (packets silently dropped, the link itself stays up). Only addresses inside
// namespaces the tests make are ever used. Everything is removed afterwards,
// also when a test fails or the run is interrupted, and stale ones from an
// earlier killed run are cleared first.
import { execFileSync } from 'node:child_process';

const prefix = 'cnsl';
const created = new Set<string>();

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

function nftIn(namespace: string, ruleset: string): void {
  execFileSync('ip', ['netns', 'exec', namespace, 'nft', '-f', '-'], { input: ruleset, stdio: ['pipe', 'pipe', 'pipe'] });
}

function removeQuietly(name: string): void {
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
  try {
    ip('link', 'del', `${name}h`);
  } catch {
    // deleting the namespace took its end of the pair, and with it ours
  }
}

process.once('exit', () => {
  for (const name of created) removeQuietly(name);
});

/** Namespaces of ours left by a run that was killed (their process is gone). */
function clearStale(): void {
  const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of listed.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const owner = /^cnsl(\d+)x\d+$/.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid % 100_000) continue;
    try {
      process.kill(Number(owner), 0);
    } catch {
      removeQuietly(name);
    }
  }
}

let counter = 0;

export class NetworkNamespace {
  readonly name: string;
  /** Our end of the pair: servers listen here. */
  readonly hostAddress: string;
  /** A second address on our end, for a second server on the same port (TURN over TLS on 443 beside HTTPS). */
  readonly secondHostAddress: string;
  /** Inside the namespace. */
  readonly namespaceAddress: string;

  private constructor(name: string, subnet: number) {
    this.name = name;
    this.hostAddress = `10.213.${subnet}.1`;
    this.namespaceAddress = `10.213.${subnet}.2`;
    this.secondHostAddress = `10.213.${subnet}.3`;
  }

  static create(): NetworkNamespace {
    if (counter === 0) clearStale();
    counter += 1;
    const name = `${prefix}${process.pid % 100_000}x${counter}`;
    const subnet = (process.pid * 7 + counter) % 250 + 1;
    const namespace = new NetworkNamespace(name, subnet);
    created.add(name);
    try {
      ip('netns', 'add', name);
      ip('link', 'add', `${name}h`, 'type', 'veth', 'peer', 'name', `${name}n`);
      ip('link', 'set', `${name}n`, 'netns', name);
      ip('addr', 'add', `${namespace.hostAddress}/24`, 'dev', `${name}h`);
      ip('addr', 'add', `${namespace.secondHostAddress}/24`, 'dev', `${name}h`);
      ip('link', 'set', `${name}h`, 'up');
      ip('netns', 'exec', name, 'ip', 'addr', 'add', `${namespace.namespaceAddress}/24`, 'dev', `${name}n`);
      ip('netns', 'exec', name, 'ip', 'link', 'set', `${name}n`, 'up');
      ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    } catch (error) {
      namespace.remove();
      throw error;
    }
    return namespace;
  }

  /** Nothing in or out any more (loopback aside), as when Wi-Fi drops: packets vanish, nobody is told. */
  cut(): void {
    nftIn(
      this.name,
      `table inet consilium_cut {
        chain input { type filter hook input priority 0; policy accept; iif "lo" accept; drop; }
        chain output { type filter hook output priority 0; policy accept; oif "lo" accept; drop; }
      }`,
    );
  }

  /** UDP dropped both ways (as hotel and hospital firewalls do); TCP still passes. */
  blockUdp(): void {
    this.#dropBothWays('consilium_udp', 'meta l4proto udp drop;');
  }

  /** TCP dropped both ways (the signalling, as on a link jammed for it); UDP (the media) still passes. */
  blockTcp(): void {
    this.#dropBothWays('consilium_tcp', 'meta l4proto tcp drop;');
  }

  /** Nothing but TCP to port `port` (of `address`, or of any), as the strictest hotel and hospital networks allow. */
  allowOnlyTcpTo(port: number, address?: string): void {
    const to = address === undefined ? '' : `ip daddr ${address} `;
    nftIn(
      this.name,
      `table inet consilium_only {
        chain input { type filter hook input priority 0; policy accept; iif "lo" accept; ct state established,related accept; drop; }
        chain output { type filter hook output priority 0; policy accept; oif "lo" accept; ${to}tcp dport ${port} accept; ct state established,related accept; drop; }
      }`,
    );
  }

  /** `percent` of the UDP packets dropped at random each way, as a lossy radio link (media only: TCP signalling would just retransmit). */
  loseUdp(percent: number): void {
    this.#dropBothWays('consilium_loss', `meta l4proto udp numgen random mod 100 < ${Math.round(percent)} drop;`);
  }

  /** An nftables `table` applying `rule` to what the namespace receives and what it sends. */
  #dropBothWays(table: string, rule: string): void {
    nftIn(
      this.name,
      `table inet ${table} {
        chain input { type filter hook input priority 0; policy accept; ${rule} }
        chain output { type filter hook output priority 0; policy accept; ${rule} }
      }`,
    );
  }

  /**
   * A link of `kbit` kilobits a second each way, as a congested mobile link: a
   * token bucket on both ends of the pair (the host's end shapes what the
   * namespace receives), queueing up to `queueMs` before dropping.
   */
  capRate(kbit: number, queueMs = 200): void {
    for (const command of [
      ['tc', 'qdisc', 'replace', 'dev', `${this.name}h`, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '4kb', 'latency', `${queueMs}ms`],
      ['ip', 'netns', 'exec', this.name, 'tc', 'qdisc', 'replace', 'dev', `${this.name}n`, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '4kb', 'latency', `${queueMs}ms`],
    ]) {
      execFileSync(command[0] ?? 'tc', command.slice(1), { stdio: 'pipe' });
    }
  }

  /** Undoes cut(), blockUdp(), blockTcp(), allowOnlyTcpTo(), loseUdp() and capRate(). */
  restore(): void {
    for (const table of ['consilium_cut', 'consilium_udp', 'consilium_tcp', 'consilium_only', 'consilium_loss']) {
      try {
        nftIn(this.name, `delete table inet ${table}`);
      } catch {
        // that one was not set
      }
    }
    for (const command of [
      ['tc', 'qdisc', 'del', 'dev', `${this.name}h`, 'root'],
      ['ip', 'netns', 'exec', this.name, 'tc', 'qdisc', 'del', 'dev', `${this.name}n`, 'root'],
    ]) {
      try {
        execFileSync(command[0] ?? 'tc', command.slice(1), { stdio: 'pipe' });
      } catch {
        // no cap was set
      }
    }
  }

  /** Runs `command` inside the namespace: the path of a small script that does so, for a browser's launcher. */
  wrapperFor(command: string): string {
    return `#!/bin/sh\nexec ip netns exec ${this.name} ${command} "$@"\n`;
  }

  remove(): void {
    removeQuietly(this.name);
    created.delete(this.name);
  }
}
