/* Material's own search worker, with one rule added (issue 16): results that match every word of
 * the query come first. Material ranks with lunr and only boosts full matches, so a long page
 * matching one common word ("school") could outrank the paragraph matching "private school".
 *
 * Everything else is Material's: its index (search/search_index.json), its query syntax, its
 * highlighting. policy_tools/search_index.py points each page's search worker here (beside Material's, whose
 * language files it loads from ../lunr/), with
 * Material's worker address in `?material=`; this file loads it, then reorders each result it posts.
 * A group is one page (Material groups a page's entries); a group matches every word when one of
 * its entries does. The order within each of the two parts is Material's.
 *
 * One index holds every language (mkdocs-static-i18n), so it also keeps each reader to their own
 * language, named in `&lang=` (each page names its own; a link into the other language is a full
 * page load, so a new worker): an English page never offers a Spanish page, and a Spanish page
 * offers the Spanish pages and the English-only ones (the bulletin itself), never the English
 * twin of a page it has in Spanish.
 */
/* global importScripts */
(function () {
  "use strict";
  var RESULT = 3; // Material's SearchMessageType.RESULT (SETUP 0, READY 1, QUERY 2, RESULT 3)

  function matchesEveryWord(item) {
    var terms = item.terms || {};
    var keys = Object.keys(terms);
    return keys.length > 0 && keys.every(function (key) { return terms[key]; });
  }

  function rank(groups) {
    var full = [];
    var partial = [];
    groups.forEach(function (group) {
      (group.some(matchesEveryWord) ? full : partial).push(group);
    });
    return full.concat(partial);
  }

  var SETUP = 0;

  function pageOf(location) {
    return String(location || "").split("#")[0].split("?")[0];
  }

  function ownLanguage(index, lang) {
    var languages = (index.config && index.config.lang) || [];
    var others = languages.slice(1); // the first is the site's default language, at its root
    var prefixOf = function (location) {
      var first = pageOf(location).split("/")[0];
      return others.indexOf(first) >= 0 ? first : languages[0];
    };
    if (!lang || languages.indexOf(lang) < 0) return index.docs;
    if (lang === languages[0]) {
      return index.docs.filter(function (doc) { return prefixOf(doc.location) === lang; });
    }
    var translated = {};
    index.docs.forEach(function (doc) {
      if (prefixOf(doc.location) === lang) translated[pageOf(doc.location).slice(lang.length + 1)] = true;
    });
    return index.docs.filter(function (doc) {
      var own = prefixOf(doc.location);
      return own === lang || (own === languages[0] && !translated[pageOf(doc.location)]);
    });
  }

  var params = new URL(self.location.href).searchParams;
  // Registered before Material's worker adds its own listener, so it sees the index first.
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      message.data.docs = ownLanguage(message.data, params.get("lang"));
    }
  });

  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message.data.items = rank(message.data.items);
    }
    return post.apply(self, arguments);
  };

  var material = params.get("material");
  importScripts(new URL(material, self.location.href).href);
})();
