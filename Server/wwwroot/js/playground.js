// The playground (/playground, Development only): authorization code + PKCE run in this browser with a demo client,
// then what came back — the token response, each JWT decoded with its signature checked against the JWKS (WebCrypto),
// userinfo — and refresh, revoke and sign-out. A file of its own: the pages' Content-Security-Policy runs scripts
// from this server only, never inline ones. Tokens stay in this page's memory; only the PKCE verifier, state and
// nonce wait in sessionStorage while the browser is away signing in, and are removed on its return.
"use strict";
(() => {
  const byId = (id) => document.getElementById(id);
  const self = location.origin + "/playground";
  const pendingKey = "playground.pending";
  const signOutKey = "playground.signout";
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let config = null;
  let keys = null;
  let session = null;

  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  const random = (length) => b64url(crypto.getRandomValues(new Uint8Array(length)));
  const json = (value) => JSON.stringify(value, null, 2);
  const pretty = (text) => { try { return json(JSON.parse(text)); } catch { return text; } };
  const words = (text) => (text ?? "").split(" ").filter(Boolean);
  const say = (text) => { byId("status").textContent = text; };
  const fail = (text) => { const p = byId("problem"); p.textContent = text; p.hidden = false; };
  const element = (tag, text, className) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (className) e.className = className; return e; };
  const block = (text, className) => { const pre = element("pre", text, className); pre.tabIndex = 0; return pre; };

  async function discover() {
    if (config === null) {
      config = await (await fetch("/.well-known/openid-configuration")).json();
      keys = await (await fetch(config.jwks_uri)).json();
    }
  }

  function selected() {
    const option = byId("client").selectedOptions[0];
    return { id: option.value, scopes: words(option.dataset.scopes), redirects: words(option.dataset.redirectUris), postLogout: words(option.dataset.postLogoutRedirectUris) };
  }

  // A loopback redirect URI of a public client matches on any port (RFC 8252); any other must match exactly.
  const loopback = (url) => url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  function accepts(registered) {
    const mine = new URL(self);
    return registered.some((r) => {
      const url = new URL(r);
      return url.href === mine.href || (loopback(url) && loopback(mine) && url.hostname === mine.hostname && url.pathname === mine.pathname && url.search === "");
    });
  }

  function showClient() {
    const client = selected();
    const fieldset = byId("scopes");
    fieldset.querySelectorAll("label").forEach((label) => label.remove());
    for (const scope of ["openid", ...client.scopes.filter((s) => s !== "openid")]) {
      const box = element("input");
      Object.assign(box, { type: "checkbox", name: "scope", value: scope, checked: true });
      const label = element("label");
      label.append(box, scope);
      fieldset.append(label);
    }
    const usable = accepts(client.redirects);
    byId("redirect-note").textContent = usable ? `Redirect URI: ${self}`
      : `This client's redirect URIs (${client.redirects.join(", ")}) do not accept ${self}: open the playground at one of them, or add this address to the client's RedirectUris.`;
    byId("sign-in").disabled = !usable;
  }

  async function start(event) {
    event.preventDefault();
    await discover();
    const client = selected();
    const scope = [...document.querySelectorAll("#scopes input:checked")].map((box) => box.value).join(" ");
    const verifier = random(32), state = random(16), nonce = random(16);
    const challenge = b64url(await crypto.subtle.digest("SHA-256", encoder.encode(verifier)));
    sessionStorage.setItem(pendingKey, JSON.stringify({ clientId: client.id, verifier, state, nonce, postLogout: client.postLogout }));
    const url = new URL(config.authorization_endpoint);
    url.search = new URLSearchParams({ client_id: client.id, redirect_uri: self, response_type: "code", scope, state, nonce, code_challenge: challenge, code_challenge_method: "S256" });
    location.assign(url);
  }

  async function post(endpoint, form) {
    const response = await fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
    const text = await response.text();
    let body = {};
    try { body = text ? JSON.parse(text) : {}; } catch { body = { text }; }
    return { ok: response.ok, status: response.status, body, text };
  }

  function report(action, answer) {
    byId("action-result").textContent = `${action}: HTTP ${answer.status}\n${answer.text ? pretty(answer.text) : "(empty body)"}`;
  }

  async function arrive(params) {
    const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null");
    sessionStorage.removeItem(pendingKey);
    history.replaceState(null, "", location.pathname);
    if (pending === null || params.get("state") !== pending.state) {
      fail("The state in this answer is not the one this page sent: the answer is ignored.");
      return;
    }
    await discover();
    if (params.has("iss") && params.get("iss") !== config.issuer) {
      fail(`The answer names the issuer ${params.get("iss")}, not ${config.issuer}: it is ignored (RFC 9207).`);
      return;
    }
    if (params.has("error")) {
      fail(`The server answered ${params.get("error")}${params.has("error_description") ? ": " + params.get("error_description") : ""}.`);
      return;
    }
    say("Redeeming the code…");
    const answer = await post(config.token_endpoint, { grant_type: "authorization_code", code: params.get("code"), redirect_uri: self, client_id: pending.clientId, code_verifier: pending.verifier });
    session = { clientId: pending.clientId, nonce: pending.nonce, postLogout: pending.postLogout };
    await received(answer, "Code exchange", true);
  }

  async function received(answer, action, fromCode) {
    report(action, answer);
    if (!answer.ok) {
      fail(`${action} refused: ${answer.body.error ?? answer.status}${answer.body.error_description ? " (" + answer.body.error_description + ")" : ""}.`);
      say(`${action} refused.`);
      return;
    }
    byId("problem").hidden = true;
    session.accessToken = answer.body.access_token;
    session.refreshToken = answer.body.refresh_token ?? session.refreshToken;
    session.idToken = answer.body.id_token ?? session.idToken;
    byId("results").hidden = false;
    byId("token-response").textContent = json(answer.body);
    const tokens = byId("tokens");
    tokens.replaceChildren();
    for (const [name, title] of [["id_token", "ID token"], ["access_token", "Access token"], ["refresh_token", "Refresh token"]]) {
      if (answer.body[name]) {
        tokens.append(await describe(name, title, answer.body[name], fromCode));
      }
    }
    byId("refresh").disabled = !session.refreshToken;
    byId("revoke").disabled = !session.refreshToken && !session.accessToken;
    byId("revoke").textContent = session.refreshToken ? "Revoke the refresh token" : "Revoke the access token";
    byId("sign-out-note").hidden = session.postLogout.includes(self);
    byId("sign-out-note").textContent = `Signing out ends your session but cannot come back here: ${self} is not one of this client's PostLogoutRedirectUris.`;
    await userinfo();
    say(fromCode ? "Signed in: the tokens are below." : "Refreshed: new tokens are below.");
  }

  async function describe(name, title, value, fromCode) {
    const id = name.replace("_", "-");
    const section = element("section", undefined, "token");
    section.id = id;
    section.setAttribute("aria-labelledby", `${id}-heading`);
    const heading = element("h3", title);
    heading.id = `${id}-heading`;
    section.append(heading, element("h4", "Encoded"), block(value, "raw"));
    const parts = value.split(".");
    if (parts.length !== 3) {
      section.append(element("p", parts.length === 5 ? "Encrypted (JWE): only this server can read it." : "Opaque: only this server can read it.", "muted"));
      return section;
    }
    let header, claims;
    try {
      header = JSON.parse(decoder.decode(fromB64url(parts[0])));
      claims = JSON.parse(decoder.decode(fromB64url(parts[1])));
    } catch {
      section.append(element("p", "Three parts, but not a readable JWT.", "muted"));
      return section;
    }
    section.append(element("h4", "Header"), block(json(header), "header"), element("h4", "Claims"), block(json(claims), "claims"));
    if (typeof claims.exp === "number") {
      const expiry = element("p", "", "expiry");
      expiry.dataset.exp = String(claims.exp);
      section.append(expiry);
    }
    const verdict = await verify(parts, header);
    section.append(element("p", verdict.valid ? `signature valid (${header.alg}, key ${header.kid})` : `signature invalid: ${verdict.reason}`, `signature ${verdict.valid ? "valid" : "invalid"}`));
    if (name === "id_token" && fromCode) {
      section.append(element("p", claims.nonce === session.nonce ? "nonce: the one this page sent" : "nonce: NOT the one this page sent", "muted"));
    }
    tick();
    return section;
  }

  const algorithms = {
    RS256: { key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, check: { name: "RSASSA-PKCS1-v1_5" } },
    PS256: { key: { name: "RSA-PSS", hash: "SHA-256" }, check: { name: "RSA-PSS", saltLength: 32 } },
    ES256: { key: { name: "ECDSA", namedCurve: "P-256" }, check: { name: "ECDSA", hash: "SHA-256" } },
  };

  async function verify(parts, header) {
    const algorithm = algorithms[header.alg];
    if (!algorithm) {
      return { valid: false, reason: `${header.alg} is not an algorithm this page checks` };
    }
    let jwk = keys.keys.find((k) => k.kid === header.kid);
    if (!jwk) {
      keys = await (await fetch(config.jwks_uri)).json();
      jwk = keys.keys.find((k) => k.kid === header.kid);
    }
    if (!jwk) {
      return { valid: false, reason: `the JWKS has no key ${header.kid}` };
    }
    const publicKey = jwk.kty === "RSA" ? { kty: "RSA", n: jwk.n, e: jwk.e } : { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y };
    try {
      const key = await crypto.subtle.importKey("jwk", publicKey, algorithm.key, false, ["verify"]);
      const valid = await crypto.subtle.verify(algorithm.check, key, fromB64url(parts[2]), encoder.encode(`${parts[0]}.${parts[1]}`));
      return { valid, reason: "the signature does not match the header and claims" };
    } catch (e) {
      return { valid: false, reason: `the key ${header.kid} cannot check it (${e.message})` };
    }
  }

  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  function tick() {
    for (const p of document.querySelectorAll(".expiry")) {
      const exp = Number(p.dataset.exp);
      const left = exp - Math.floor(Date.now() / 1000);
      const at = new Date(exp * 1000).toISOString();
      p.textContent = left > 0 ? `Expires in ${clock(left)} (${at})` : `Expired ${clock(-left)} ago (${at})`;
      p.classList.toggle("expired", left <= 0);
    }
  }

  async function userinfo() {
    const response = await fetch(config.userinfo_endpoint, { headers: { Authorization: `Bearer ${session.accessToken}` } });
    byId("userinfo").textContent = `HTTP ${response.status}\n${pretty(await response.text())}`;
  }

  async function refresh() {
    say("Refreshing…");
    await received(await post(config.token_endpoint, { grant_type: "refresh_token", refresh_token: session.refreshToken, client_id: session.clientId }), "Refresh", false);
  }

  async function revoke() {
    const hint = session.refreshToken ? "refresh_token" : "access_token";
    const answer = await post(config.revocation_endpoint, { token: session.refreshToken ?? session.accessToken, token_type_hint: hint, client_id: session.clientId });
    report("Revocation", answer);
    say(answer.ok ? `The ${hint === "refresh_token" ? "refresh" : "access"} token is revoked${hint === "refresh_token" ? ": a refresh now fails" : ""}.` : "The revocation was refused.");
  }

  function signOut() {
    const params = new URLSearchParams({ client_id: session.clientId });
    if (session.idToken) {
      params.set("id_token_hint", session.idToken);
    }
    if (session.postLogout.includes(self)) {
      const state = random(16);
      sessionStorage.setItem(signOutKey, state);
      params.set("post_logout_redirect_uri", self);
      params.set("state", state);
    }
    const url = new URL(config.end_session_endpoint);
    url.search = params;
    location.assign(url);
  }

  function back(params) {
    const state = sessionStorage.getItem(signOutKey);
    sessionStorage.removeItem(signOutKey);
    history.replaceState(null, "", location.pathname);
    if (state !== null && params.get("state") === state) {
      say("You are signed out of this server.");
    } else {
      fail("This sign-out answer carries a state this page did not send.");
    }
  }

  const guard = (action) => () => action().catch((e) => fail(`Something went wrong: ${e.message}`));
  if (byId("start")) {
    byId("client").addEventListener("change", showClient);
    byId("start").addEventListener("submit", (event) => start(event).catch((e) => fail(`Could not start: ${e.message}`)));
    showClient();
  }
  byId("refresh").addEventListener("click", guard(refresh));
  byId("revoke").addEventListener("click", guard(revoke));
  byId("sign-out").addEventListener("click", signOut);
  setInterval(tick, 1000);

  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error")) {
    guard(() => arrive(params))();
  } else if (params.has("state")) {
    back(params);
  }
})();
