/* The words of a Dockerfile instruction (change.c): splitting as the
 * Dockerfile parser splits, and the shell-like processing of one word
 * (quotes, backslash escapes, $VAR expansion from an environment).
 * Internal to change*.c. */
#ifndef SCUTE_ENGINE_CHANGE_WORDS_H
#define SCUTE_ENGINE_CHANGE_WORDS_H

#include "scute.h"

struct change_words {
	char **v;
	size_t n;
};

void change_words_free(struct change_words *w);

/* Split S on blanks outside quotes, quotes and escapes kept in the words
 * (the parser's parseWords, for ENV and LABEL). */
int change_split_quoted(const char *s, struct change_words *out, struct scute_err *err);

/* Split S on blanks alone (EXPOSE, the shell form of VOLUME). */
int change_split_blanks(const char *s, struct change_words *out, struct scute_err *err);

/* Process WORD as a Dockerfile word: quotes removed, escapes applied,
 * variables expanded from ENV (an array of "K=V", or NULL). With SPLIT,
 * blanks outside quotes (also those a variable brings) separate words,
 * as EXPOSE's words are read; without, the result is one word. */
int change_process(const char *word, json_t *env, bool split, struct change_words *out,
		   struct scute_err *err);

#endif
