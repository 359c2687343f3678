export { wordcount, splitWords, wordFor, totalsPerWord, type WordcountEvent } from './wordcount.js';
