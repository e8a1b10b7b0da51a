/* The admin's session helpers, loaded by templates/admin/base_site.html for signed-in staff (no inline script; the
   numbers come from the data-* attributes of this script's own tag):

   1. Idle warning. The server ends a session after DJANGO_SESSION_IDLE_MINUTES without a request
      (union_site/accounts/middleware.py). A few minutes before, a banner says so, with 继续工作 to keep the session;
      typing or clicking in the page near the end keeps it too. At the end the banner says the session is over.
   2. Drafts. On an admin change form, the text fields (CKEditor's body too: it keeps its textarea in step) are kept
      in this browser while being typed (localStorage, per user and page address). A successful save drops the draft;
      when the page opens again with a draft that differs from the form (after logging in again once the session had
      expired, say), the page offers 恢复未保存的内容. Logging out on purpose drops the user's drafts. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  var data = script.dataset;
  var user = data.user || "";
  var DRAFT_PREFIX = "union-site:draft:" + user + ":";
  var PENDING_KEY = "union-site:draft-pending:" + user;
  var DRAFT_MAX_AGE = 14 * 24 * 3600 * 1000;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: drafts are simply not kept
    }
  }

  function read(key) {
    var store = storage();
    try {
      return store ? JSON.parse(store.getItem(key)) : null;
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    var store = storage();
    try {
      if (store) {
        store.setItem(key, JSON.stringify(value));
      }
    } catch (error) {
      // full or refused: nothing to do
    }
  }

  function forget(key) {
    var store = storage();
    if (store) {
      store.removeItem(key);
    }
  }

  function ownKeys() {
    var store = storage();
    var keys = [];
    if (store) {
      for (var i = 0; i < store.length; i += 1) {
        var key = store.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) {
          keys.push(key);
        }
      }
    }
    return keys;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text) {
      element.textContent = text;
    }
    return element;
  }

  function button(label, onClick) {
    var element = make("button", "button", label);
    element.type = "button";
    element.addEventListener("click", onClick);
    return element;
  }

  /* A banner in the admin's own message style, at the top of the page's content. */
  function banner(id, level) {
    var box = document.getElementById(id);
    if (!box) {
      box = make("div", "session-banner");
      box.id = id;
      box.setAttribute("role", level === "error" ? "alert" : "status");
      var list = make("ul", "messagelist");
      list.appendChild(make("li", level));
      box.appendChild(list);
      var place = document.getElementById("content-start") || document.getElementById("content") || document.body;
      place.insertBefore(box, place.firstChild);
    }
    var item = box.querySelector("li");
    item.className = level;
    item.textContent = "";
    return item;
  }

  function removeBanner(id) {
    var box = document.getElementById(id);
    if (box) {
      box.parentNode.removeChild(box);
    }
  }

  /* ---- 1. Idle warning ---- */

  var idleMinutes = parseInt(data.idleMinutes, 10) || 30;
  var warnBefore = (parseInt(data.idleWarningSeconds, 10) || 300) * 1000;
  var deadline = Date.now() + (parseInt(data.idleSecondsLeft, 10) || 0) * 1000;
  var lastContact = Date.now();
  var lastInput = 0;
  var expired = false;

  function showExpired() {
    expired = true;
    saveDraft();
    var item = banner("session-idle", "error");
    item.appendChild(
      document.createTextNode(
        "由于超过 " + idleMinutes + " 分钟没有操作，您已退出登录。正在编辑的内容已保存在本机浏览器中，"
      )
    );
    var link = make("a", "", "重新登录");
    link.href = data.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    item.appendChild(link);
    item.appendChild(document.createTextNode("后可以恢复。"));
  }

  function keepAlive() {
    lastContact = Date.now();
    return fetch(data.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (response.status === 401) {
          return { seconds_left: 0 };
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (body) {
        deadline = Date.now() + body.seconds_left * 1000;
        if (body.seconds_left <= 0) {
          showExpired();
        } else {
          removeBanner("session-idle");
        }
      })
      .catch(function () {
        // offline for a moment: keep counting down; the next tick tries again
      });
  }

  function showWarning(left) {
    var minutes = Math.max(1, Math.ceil(left / 60000));
    var item = banner("session-idle", "warning");
    item.appendChild(
      document.createTextNode("您已较长时间没有操作，为了安全，约 " + minutes + " 分钟后将自动退出登录。 ")
    );
    item.appendChild(button("继续工作", keepAlive));
  }

  function tick() {
    if (expired) {
      return;
    }
    var left = deadline - Date.now();
    if (left <= 0) {
      showExpired();
    } else if (left <= warnBefore) {
      if (lastInput > lastContact) {
        keepAlive(); // the person is here and working: that is activity
      } else {
        showWarning(left);
      }
    }
  }

  ["keydown", "pointerdown", "input"].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        lastInput = Date.now();
      },
      true
    );
  });

  /* ---- 2. Drafts of change forms ---- */

  var form = document.querySelector("body.change-form #content-main form[method=post]");
  var draftKey = DRAFT_PREFIX + location.pathname;
  var TEXT_TYPES = ["text", "search", "url", "email", "tel", "number", "date", "time", "datetime-local"];
  var initial = null;
  var lastSaved = null;
  var wroteDraft = false;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") {
        return false;
      }
      if (element.tagName === "TEXTAREA") {
        return true;
      }
      if (element.tagName === "SELECT") {
        return !element.multiple;
      }
      return element.tagName === "INPUT" && TEXT_TYPES.indexOf(element.type) !== -1;
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (element) {
      values[element.name] = element.value;
    });
    return values;
  }

  /* Does every field of the form that the draft names hold the draft's value? */
  function matches(values, current) {
    return Object.keys(values).every(function (name) {
      return !(name in current) || current[name] === values[name];
    });
  }

  function saveDraft() {
    if (!form) {
      return;
    }
    var values = snapshot();
    var text = JSON.stringify(values);
    if (text === lastSaved) {
      return;
    }
    lastSaved = text;
    if (matches(values, initial)) {
      if (wroteDraft) {
        forget(draftKey); // typed back to what the page had: nothing to keep
        wroteDraft = false;
      }
      return;
    }
    write(draftKey, { saved_at: Date.now(), values: values });
    wroteDraft = true;
  }

  function restore(draft) {
    fields().forEach(function (element) {
      if (!(element.name in draft.values)) {
        return;
      }
      var value = draft.values[element.name];
      var editor = window.editors && window.editors[element.id];
      if (editor && typeof editor.setData === "function") {
        editor.setData(value); // CKEditor 5 shows it and keeps its textarea in step
      }
      element.value = value;
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
    removeBanner("draft-restore");
    saveDraft();
  }

  function offer(draft) {
    var when = new Date(draft.saved_at).toLocaleString("zh-CN", {
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    var item = banner("draft-restore", "info");
    item.appendChild(document.createTextNode("本页有您 " + when + " 编辑而未保存的内容。 "));
    item.appendChild(
      button("恢复未保存的内容", function () {
        restore(draft);
      })
    );
    item.appendChild(document.createTextNode(" "));
    item.appendChild(
      button("放弃", function () {
        forget(draftKey);
        removeBanner("draft-restore");
      })
    );
  }

  function settlePending() {
    var pending = read(PENDING_KEY);
    if (!pending) {
      return;
    }
    if (document.querySelector(".messagelist .success")) {
      forget(pending.key); // the save went through
      forget(PENDING_KEY);
    } else if (document.querySelector(".errornote") || pending.key === draftKey) {
      forget(PENDING_KEY); // back on the form (with its errors, or after logging in again): the draft stays
    }
  }

  function dropOldDrafts() {
    ownKeys().forEach(function (key) {
      var draft = read(key);
      if (!draft || !draft.saved_at || Date.now() - draft.saved_at > DRAFT_MAX_AGE) {
        forget(key);
      }
    });
  }

  settlePending();
  dropOldDrafts();

  var logout = document.getElementById("logout-form");
  if (logout) {
    logout.addEventListener("submit", function () {
      ownKeys().forEach(forget);
      forget(PENDING_KEY);
    });
  }

  if (form) {
    initial = snapshot();
    lastSaved = JSON.stringify(initial);
    var draft = read(draftKey);
    if (draft && draft.values && !matches(draft.values, initial)) {
      offer(draft);
    }
    var timer = null;
    var soon = function () {
      clearTimeout(timer);
      timer = setTimeout(saveDraft, 300);
    };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("submit", function () {
      saveDraft();
      write(PENDING_KEY, { key: draftKey, at: Date.now() });
    });
    setInterval(saveDraft, 2000); // CKEditor writes its textarea without an input event
  }

  tick();
  setInterval(tick, 10000);
})();
