/**
 * The playground page: a committee channel and a personal chat, as Teams shows them, with govbot's
 * Adaptive Cards rendered by Microsoft's own renderer (adaptivecards, served beside the page). The
 * script builds activities exactly as Teams sends them and POSTs them to /api/messages; what govbot
 * posts back arrives through the playground's loopback connector, read from /playground/feed.
 */
export const PLAYGROUND_CHANNEL = '19:playground-committee@thread.tacv2';
const TEAM = '19:playground-team@thread.tacv2';
const TENANT = '00000000-0000-4000-8000-0000000000f0';
const BOT = { id: '28:playground-govbot', name: 'govbot' };

export function playgroundPage(): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>govbot playground</title>
<style>${STYLE}</style>
<script src="/playground/adaptivecards.js"></script>
</head>
<body>
<header>
  <h1>govbot playground</h1>
  <p class="note">Everything here runs on this machine: the people are a <strong>playground roster</strong> (made up, for trying govbot), and the register is this installation's.</p>
  <div class="controls">
    <label>You are <select id="who"></select></label>
    <button id="seed-demo" type="button">Seed demo contacts</button>
    <span id="status" role="status"></span>
  </div>
</header>
<main>
  <section class="pane" id="channel" aria-labelledby="channel-title">
    <h2 id="channel-title">Committee channel</h2>
    <div class="messages" id="channel-messages" aria-live="polite"></div>
    <form class="compose" data-where="channel"><input name="text" id="channel-input" autocomplete="off" aria-label="Message the committee channel" placeholder="@govbot dsr new erasure … or gov …"><button type="submit">Send</button></form>
  </section>
  <section class="pane" id="personal" aria-labelledby="personal-title">
    <h2 id="personal-title">Personal chat with govbot</h2>
    <div class="messages" id="personal-messages" aria-live="polite"></div>
    <form class="compose" data-where="personal"><input name="text" id="personal-input" autocomplete="off" aria-label="Message govbot privately" placeholder="dsr list, gov help …"><button type="submit">Send</button></form>
  </section>
</main>
<dialog id="dialog"><div class="dialog-head"><h2 id="dialog-title"></h2><button type="button" id="dialog-close" aria-label="Close">×</button></div><div id="dialog-body"></div></dialog>
<script>
const CHANNEL = ${JSON.stringify(PLAYGROUND_CHANNEL)};
const TEAM = ${JSON.stringify(TEAM)};
const TENANT = ${JSON.stringify(TENANT)};
const BOT = ${JSON.stringify(BOT)};
${CLIENT}
</script>
</body>
</html>`;
}

const STYLE = `
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; background: #f5f5f5; color: #242424; }
header { padding: 12px 20px; background: #464775; color: #fff; }
header h1 { margin: 0 0 4px; font-size: 20px; }
.note { margin: 0 0 8px; font-size: 13px; }
.controls { display: flex; gap: 12px; align-items: center; font-size: 14px; }
main { display: grid; grid-template-columns: 3fr 2fr; gap: 16px; padding: 16px 20px; }
.pane { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); display: flex; flex-direction: column; min-height: 70vh; }
.pane h2 { font-size: 15px; margin: 0; padding: 10px 14px; border-bottom: 1px solid #e0e0e0; }
.messages { flex: 1; overflow-y: auto; padding: 10px 14px; display: flex; flex-direction: column; gap: 10px; max-height: 75vh; }
.message { border-left: 3px solid #6264a7; padding: 6px 10px; background: #fafafa; border-radius: 4px; }
.message.mine { border-left-color: #999; background: #f0f0f0; }
.message.updated { box-shadow: 0 0 0 2px #c5c7f0; }
.who { font-size: 12px; color: #616161; margin-bottom: 4px; }
.text { white-space: pre-wrap; font-size: 14px; }
.ac-host { margin-top: 6px; background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; }
.ac-host[data-render="failed"] { border-color: #c4314b; color: #c4314b; padding: 8px; }
.answer { font-size: 13px; color: #464775; margin-top: 4px; white-space: pre-wrap; }
.compose { display: flex; gap: 8px; padding: 10px 14px; border-top: 1px solid #e0e0e0; }
.compose input { flex: 1; padding: 6px 8px; font-size: 14px; }
dialog { width: min(640px, 90vw); border: none; border-radius: 6px; box-shadow: 0 4px 20px rgba(0,0,0,.3); }
.dialog-head { display: flex; justify-content: space-between; align-items: center; }
.dialog-head h2 { font-size: 16px; margin: 0; }
`;

/** Browser code: no template literals inside (it is itself one). */
const CLIENT = String.raw`
let roster = [];
let me = null;
let serviceUrl = '';
let since = 0;
let sequence = 0;
const messages = new Map(); // activity id -> { element, conversationId }
const statusLine = document.getElementById('status');

function person(id) { return roster.find(function (p) { return p.id === id; }); }
function personalId(p) { return 'a:personal-' + p.id; }

function conversationFor(where, p) {
  if (where === 'personal') {
    return { conversation: { id: personalId(p), conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } };
  }
  return {
    conversation: { id: CHANNEL + ';messageid=' + Date.now(), conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } },
  };
}

function base(p, where) {
  return Object.assign({
    id: 'pg' + Date.now() + '-' + (++sequence), channelId: 'msteams', serviceUrl: serviceUrl, timestamp: new Date().toISOString(),
    from: { id: p.id, name: p.name, aadObjectId: p.aadObjectId }, recipient: { id: BOT.id, name: BOT.name }, locale: 'en-GB',
  }, conversationFor(where, p));
}

async function send(activity) {
  const response = await fetch('/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  return { status: response.status, body: body };
}

function say(p, where, text) {
  const activity = base(p, where);
  activity.type = 'message';
  activity.textFormat = 'plain';
  if (where === 'personal') {
    activity.text = text;
    activity.entities = [];
  } else {
    // In a channel Teams delivers a message to the bot only when it is @mentioned.
    activity.text = '<at>' + BOT.name + '</at> ' + text;
    activity.entities = [{ type: 'mention', text: '<at>' + BOT.name + '</at>', mentioned: { id: BOT.id, name: BOT.name } }];
  }
  return send(activity);
}

function paneOf(conversationId) {
  if (!conversationId) return null;
  const bare = conversationId.replace(/;messageid=\d+$/, '');
  if (bare === CHANNEL) return { where: 'channel', owner: null };
  if (bare.indexOf('a:personal-') === 0) return { where: 'personal', owner: bare.slice('a:personal-'.length) };
  return null;
}

function showOwnership(element) {
  const owner = element.dataset.owner;
  element.hidden = Boolean(owner) && (!me || owner !== me.id);
}

function addMessage(where, owner, who, text, attachments, activityId, mine) {
  const element = document.createElement('div');
  element.className = 'message' + (mine ? ' mine' : '');
  if (owner) element.dataset.owner = owner;
  if (activityId) element.dataset.activityId = activityId;
  const header = document.createElement('div');
  header.className = 'who';
  header.textContent = who + ' · ' + new Date().toLocaleTimeString('en-GB');
  element.appendChild(header);
  fill(element, text, attachments, activityId, where);
  document.getElementById(where + '-messages').appendChild(element);
  showOwnership(element);
  element.scrollIntoView({ block: 'end' });
  if (activityId) messages.set(activityId, { element: element, where: where });
  return element;
}

function fill(element, text, attachments, activityId, where) {
  Array.from(element.querySelectorAll('.text, .ac-host, .answer')).forEach(function (node) { node.remove(); });
  if (text) {
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    element.appendChild(body);
  }
  (attachments || []).forEach(function (attachment) {
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return;
    element.appendChild(renderCard(attachment.content, function (action) { return onAction(action, activityId, where, element); }));
  });
}

/**
 * Teams renders a small subset of Markdown in card text: bold, italics, line breaks. The renderer
 * leaves that to its host; this does the same subset, escaping everything else.
 */
AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
  const escaped = [];
  const html = text
    // An escaped character is text, never markup: set it aside before looking for any.
    .replace(/\\([\\*_\[\]()#+\-.!>|~])/g, function (_, c) { escaped.push(c); return '\u0000' + (escaped.length - 1) + '\u0001'; })
    .replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; })
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1<em>$2</em>')
    .replace(/\n/g, '<br>')
    .replace(/\u0000(\d+)\u0001/g, function (_, i) { const c = escaped[Number(i)]; return c === '>' ? '&gt;' : c; });
  result.outputHtml = html;
  result.didProcess = true;
};

/** Microsoft's renderer; a card it cannot render is marked, so nobody (and no test) misses it. */
function renderCard(content, onExecute) {
  const host = document.createElement('div');
  host.className = 'ac-host';
  try {
    const card = new AdaptiveCards.AdaptiveCard();
    card.onExecuteAction = onExecute;
    const errors = [];
    const context = new AdaptiveCards.SerializationContext();
    card.parse(content, context);
    for (let i = 0; i < context.eventCount; i += 1) errors.push(context.getEventAt(i).message);
    card.validateProperties().validationEvents.forEach(function (e) { errors.push(e.message); });
    const rendered = card.render();
    if (!rendered) throw new Error('the renderer produced nothing');
    if (errors.length > 0) throw new Error(errors.join('; '));
    host.appendChild(rendered);
    host.dataset.render = 'ok';
  } catch (error) {
    host.dataset.render = 'failed';
    host.textContent = 'This card could not be rendered: ' + (error && error.message ? error.message : String(error));
  }
  return host;
}

function actionData(action) {
  const data = action.data;
  return data && typeof data === 'object' ? data : {};
}

async function onAction(action, activityId, where, element) {
  if (!me) return;
  if (action instanceof AdaptiveCards.OpenUrlAction) { window.open(action.url, '_blank', 'noopener'); return; }
  const data = actionData(action);
  if (action instanceof AdaptiveCards.ExecuteAction) {
    const activity = base(me, where);
    activity.type = 'invoke';
    activity.name = 'adaptiveCard/action';
    activity.replyToId = activityId;
    activity.value = { action: { type: 'Action.Execute', id: 'a' + Date.now(), verb: action.verb, data: data }, trigger: 'manual' };
    const answer = await send(activity);
    const body = answer.body || {};
    if (body.type === 'application/vnd.microsoft.card.adaptive') {
      // The refreshed card replaces the old one in place, as in Teams.
      fill(element, null, [{ contentType: body.type, content: body.value }], activityId, where);
      element.classList.add('updated');
    } else {
      note(element, typeof body.value === 'string' ? body.value : (body.value && body.value.message) || ('(HTTP ' + answer.status + ')'));
    }
    return;
  }
  if (data.msteams && data.msteams.type === 'task/fetch') {
    await openTask('task/fetch', data, where);
    return;
  }
  note(element, 'This button does nothing in the playground.');
}

function note(element, text) {
  const line = document.createElement('div');
  line.className = 'answer';
  line.textContent = text;
  element.appendChild(line);
}

const dialog = document.getElementById('dialog');
document.getElementById('dialog-close').addEventListener('click', function () { dialog.close(); });

async function openTask(name, data, where) {
  const activity = base(me, where);
  activity.type = 'invoke';
  activity.name = name;
  activity.value = { data: data, context: { theme: 'default' } };
  const answer = await send(activity);
  const task = answer.body && answer.body.task;
  if (!task) { statusLine.textContent = 'The dialog did not open (HTTP ' + answer.status + ').'; return; }
  if (task.type === 'continue') {
    document.getElementById('dialog-title').textContent = task.value.title || 'govbot';
    const body = document.getElementById('dialog-body');
    body.replaceChildren(renderCard(task.value.card.content, function (action) {
      return openTask('task/submit', actionData(action), where);
    }));
    if (!dialog.open) dialog.showModal();
    return;
  }
  if (dialog.open) dialog.close();
  statusLine.textContent = typeof task.value === 'string' ? task.value : '';
}

async function poll() {
  try {
    const response = await fetch('/playground/feed?since=' + since);
    const feed = await response.json();
    since = feed.next;
    feed.calls.forEach(show);
  } catch (e) {
    statusLine.textContent = 'govbot is not answering: is it still running?';
  }
  setTimeout(poll, 500);
}

function show(call) {
  if (call.path.indexOf('/activities') < 0) return;
  if (call.body && call.body.type && call.body.type !== 'message') return; // typing indicators
  const pane = paneOf(call.conversationId);
  if (!pane) return;
  const body = call.body || {};
  if (call.method === 'PUT') {
    const known = messages.get(call.activityId);
    if (known) {
      fill(known.element, body.text, body.attachments, call.activityId, known.where);
      known.element.classList.add('updated');
      return;
    }
  }
  if (call.method === 'POST' || call.method === 'PUT') {
    addMessage(pane.where, pane.owner, 'govbot', body.text, body.attachments, call.createdId || call.activityId, false);
  }
}

function choose(id) {
  me = person(id);
  localStorage.setItem('govbot-playground-me', id);
  document.querySelectorAll('.message').forEach(showOwnership);
  document.getElementById('personal-title').textContent = 'Personal chat with govbot (' + me.name + ')';
}

document.querySelectorAll('form.compose').forEach(function (form) {
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const input = form.elements.text;
    const text = input.value.trim();
    if (!text || !me) return;
    input.value = '';
    const where = form.dataset.where;
    addMessage(where, where === 'personal' ? me.id : null, me.name, text, [], null, true);
    const answer = await say(me, where, text);
    if (answer.status >= 400) statusLine.textContent = 'govbot refused the message (HTTP ' + answer.status + ').';
  });
});

document.getElementById('seed-demo').addEventListener('click', async function () {
  statusLine.textContent = 'Seeding demo contacts…';
  const response = await fetch('/playground/seed-demo', { method: 'POST' });
  statusLine.textContent = (await response.json()).message;
});

async function start() {
  const state = await (await fetch('/playground/state')).json();
  roster = state.roster;
  serviceUrl = state.serviceUrl;
  const select = document.getElementById('who');
  roster.forEach(function (p) {
    const option = document.createElement('option');
    option.value = p.id;
    option.textContent = p.name;
    select.appendChild(option);
  });
  const saved = localStorage.getItem('govbot-playground-me');
  select.value = person(saved) ? saved : roster[0].id;
  select.addEventListener('change', function () { choose(select.value); });
  choose(select.value);
  // The chair makes this pane the committee channel, as a chair does in Teams.
  if (!state.channelReady) await say(roster.find(function (p) { return p.role === 'chair'; }), 'channel', 'gov channel set');
  poll();
}
start();
`;
