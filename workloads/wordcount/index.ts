export { wordcount, splitWords, wordFor, type WordcountEvent } from './wordcount.js';
