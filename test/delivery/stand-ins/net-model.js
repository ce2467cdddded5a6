'use strict';
// The network a nested container sees. Loaded with `node --require` into whatever runs "inside" a
// stand-in container: a connection to a link-local credentials address goes to the run's fake
// credentials endpoint (127.0.0.1), unless an iptables rule in DOCKER-USER or FORWARD rejects or
// drops traffic to it, in which case it is refused as the kernel would refuse it.
const net = require('net');
const { readState, config } = require('./common');

const LINK_LOCAL = /^169\.254\./;

function toInt(ip) {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function contains(cidr, ip) {
  const [base, bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = toInt(base) - (toInt(base) % size);
  return toInt(ip) >= start && toInt(ip) < start + size;
}

/** True when a rule of the chains nested traffic passes (DOCKER-USER, FORWARD) rejects or drops `ip`. */
function blocked(ip) {
  const chains = readState('iptables.json', { 'DOCKER-USER': [], 'FORWARD': [] });
  return ['DOCKER-USER', 'FORWARD'].some(chain => (chains[chain] || []).some(rule => {
    const words = rule.split(' ');
    const dest = words[words.indexOf('-d') + 1];
    const target = words[words.indexOf('-j') + 1];
    return words.includes('-d') && ['REJECT', 'DROP'].includes(target) && contains(dest, ip);
  }));
}

function route(host, port) {
  if (typeof host !== 'string' || !LINK_LOCAL.test(host)) return { host, port };
  if (blocked(host)) return { host: '127.0.0.1', port: 1 };
  return { host: '127.0.0.1', port: config().credentialsEndpoint.port };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0] : args;
  if (first[0] && typeof first[0] === 'object') {
    first[0] = { ...first[0], ...route(first[0].host, first[0].port) };
  } else if (typeof first[0] === 'number' || typeof first[0] === 'string') {
    const to = route(first[1], Number(first[0]));
    if (to.host !== first[1]) { first[0] = to.port; first[1] = to.host; }
  }
  return connect.apply(this, args);
};

module.exports = { blocked, route };
