// Calls referee serve through the unmodified perspective-api-client package.
// The only change from production use is the address: requests the library
// sends to Google's endpoint are rerouted to REFEREE_URL by an axios
// interceptor, so the library's own payload building and error handling run.
//
// Usage: REFEREE_URL=http://127.0.0.1:PORT node analyze.js
// Prints one JSON object per call on stdout.
'use strict';
const axios = require('axios');
const Perspective = require('perspective-api-client');

const target = process.env.REFEREE_URL;
if (!target) {
  console.error('REFEREE_URL is not set');
  process.exit(2);
}
axios.interceptors.request.use(config => {
  config.url = config.url.replace('https://commentanalyzer.googleapis.com', target);
  return config;
});

async function main() {
  const perspective = new Perspective({apiKey: process.env.REFEREE_KEY || 'test-key'});
  const out = {};
  out.plain = await perspective.analyze('You are a stupid idiot and everyone hates you.');
  out.attributes = await perspective.analyze('What a thoughtful post, thank you.', {
    attributes: ['toxicity', 'insult', 'attack_on_author'],
  });
  out.html = await perspective.analyze('<p>You <b>idiot</b></p>', {stripHTML: false, attributes: ['TOXICITY']})
    .catch(e => ({error: e.message}));
  out.resource = await perspective.analyze({
    comment: {text: 'My cat plays football.'},
    context: {articleAndParentComment: {article: {text: 'A recipe for bread.'}}},
    requestedAttributes: {OFF_TOPIC: {}, TOXICITY: {scoreThreshold: 0.99}},
    clientToken: 'token-1',
  });
  try {
    await perspective.analyze('hello', {attributes: ['flirtation']});
    out.unknown = {error: null};
  } catch (e) {
    out.unknown = {error: e.message, name: e.name, status: e.response && e.response.status};
  }
  const denied = new Perspective({apiKey: 'wrong-key'});
  try {
    await denied.analyze('hello');
    out.denied = {error: null};
  } catch (e) {
    out.denied = {error: e.message, status: e.response && e.response.status};
  }
  console.log(JSON.stringify(out));
}

main().catch(e => {
  console.error(e && e.stack || e);
  process.exit(1);
});
