// Passkey ceremonies for the sign-in, registration and account pages. A static file, because the pages'
// Content-Security-Policy allows scripts from this server only. Each page marks a form with data-passkey
// ("signin", "register" or "add"); the form carries the anti-forgery token, a hidden Credential field and,
// in data-options, the address that returns the WebAuthn options. The server checks everything; this file
// only carries the options to the browser's authenticator and its answer back.
"use strict";

(() => {
    const supported = typeof window.PublicKeyCredential === "function"
        && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
        && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function";

    const say = (form, text) => {
        const status = document.querySelector(`[data-passkey-status="${form.dataset.passkey}"]`);
        if (status) {
            status.textContent = text;
            status.hidden = false;
        }
    };

    const explain = (error) => {
        switch (error && error.name) {
            case "NotAllowedError": return "The passkey request was cancelled or timed out. Try again.";
            case "InvalidStateError": return "This authenticator already holds a passkey for this account.";
            case "AbortError": return "";
            case "SecurityError": return "This page's address cannot use passkeys.";
            default: return "The passkey request failed: " + (error && error.message ? error.message : "unknown error") + ".";
        }
    };

    // Asks the server for options. A page that needs a fresh sign-in first answers with the sign-in page instead
    // of JSON: the browser goes there, and comes back to this page afterwards.
    const fetchOptions = async (form) => {
        const response = await fetch(form.dataset.options, { method: "POST", body: new FormData(form), credentials: "same-origin" });
        const type = response.headers.get("Content-Type") || "";
        if (!type.includes("application/json")) {
            window.location.assign(response.url);
            return null;
        }

        const body = await response.json();
        if (!response.ok) {
            throw new Error(body.error || "the server refused");
        }

        return body;
    };

    const submit = (form, credential) => {
        form.querySelector("input[name=Credential]").value = JSON.stringify(credential.toJSON());
        if (form.dataset.action) {
            form.action = form.dataset.action;
        }

        form.submit();
    };

    const signIn = (form) => {
        let pending = null;

        const get = async (mediation) => {
            pending?.abort();
            const abort = new AbortController();
            pending = abort;
            const json = await fetchOptions(form);
            if (!json || abort.signal.aborted) {
                return;
            }

            const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
            const credential = await navigator.credentials.get({ publicKey, mediation, signal: abort.signal });
            if (credential) {
                submit(form, credential);
            }
        };

        form.querySelector("[data-passkey-start]")?.addEventListener("click", () => {
            say(form, "Waiting for your passkey…");
            get("optional").catch((error) => say(form, explain(error)));
        });

        // Autofill: the user-name field offers the passkeys this browser holds for this site.
        PublicKeyCredential.isConditionalMediationAvailable?.().then((available) => {
            if (available && document.querySelector("input[autocomplete~=webauthn]")) {
                get("conditional").catch((error) => { if (error.name !== "AbortError") { say(form, explain(error)); } });
            }
        });
    };

    const create = (form) => {
        form.querySelector("[data-passkey-start]")?.addEventListener("click", async () => {
            say(form, "Follow your browser's prompt to create the passkey…");
            try {
                const json = await fetchOptions(form);
                if (!json) {
                    return;
                }

                const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json);
                const credential = await navigator.credentials.create({ publicKey });
                submit(form, credential);
            } catch (error) {
                say(form, explain(error));
            }
        });
    };

    for (const form of document.querySelectorAll("form[data-passkey]")) {
        if (!supported) {
            form.querySelectorAll("[data-passkey-start]").forEach((button) => { button.disabled = true; });
            say(form, "This browser cannot use passkeys (or the page is not on a secure address). Use another way to sign in.");
            continue;
        }

        (form.dataset.passkey === "signin" ? signIn : create)(form);
    }
})();
