/* process.terminal: a pty from the container's own devpts, its master sent
 * to the engine's --console-socket, its peer made the init's stdio and
 * /dev/console. */
#ifndef SCUTE_TERMINAL_H
#define SCUTE_TERMINAL_H

#include <stdbool.h>

#include "error.h"

/* Connect to the engine's console socket (a host path). */
int scute_console_socket_connect(const char *path, struct scute_err *err);
/* Make the pty inside the root (rows x cols when given), bind the peer on
 * /dev/console when `console_too` (the init; not for exec), send the master
 * over `sockfd`; returns the peer fd for the process's stdio. */
int scute_terminal_setup(int rootfd, int sockfd, unsigned short rows, unsigned short cols,
			 bool console_too, struct scute_err *err);
/* Make the peer the controlling terminal and stdin/stdout/stderr. */
int scute_terminal_become(int peerfd, struct scute_err *err);

#endif
