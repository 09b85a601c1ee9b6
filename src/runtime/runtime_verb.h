/* Argument parsing shared by the verbs that take only flags and an id. */
#ifndef SCUTE_RUNTIME_VERB_H
#define SCUTE_RUNTIME_VERB_H

/* Accepts --help and exactly one ID. 0 to go on; >0 exit status; <0 help. */
int parse_id_only(int argc, char **argv, const char *verb, const char **id);

#endif
