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

  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message.data.items = rank(message.data.items);
    }
    return post.apply(self, arguments);
  };

  var material = new URL(self.location.href).searchParams.get("material");
  importScripts(new URL(material, self.location.href).href);
})();
