// Sends the authorization response of a response_mode=form_post page back to the app. It lives in its own
// file because the pages' Content-Security-Policy allows scripts from this server only, never inline ones.
"use strict";
document.querySelector("form[data-form-post]")?.submit();
