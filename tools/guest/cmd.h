/* cmd.h - the command line of cella-chan as its commands receive it, and the commands that
 * live outside cella-chan.c. */
#ifndef CELLA_GUEST_CMD_H
#define CELLA_GUEST_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "chan.h"

struct args {
	const char **pos;	/* positional arguments */
	int npos;
	uint64_t n, b, warmup;
	bool has_n, has_b;
	double timeout;		/* seconds, 0: none */
	bool send, recv, memcpy_mode, cntvct, pin;
	struct chan_opts co;
};

#define SPIN_US 200		/* stream and exchange: --spin's default (microseconds) */

/* open_chan - chan_open of the channel named by the first argument (dies on failure) */
void open_chan(struct chan *c, const struct args *a, unsigned use);

/* chan_cmds.c: the commands on one channel; each returns the exit status */
int cmd_send(struct args *a);
int cmd_recv(struct args *a);
int cmd_watch(struct args *a);
int cmd_ping(struct args *a);
int cmd_pong(struct args *a);
int cmd_stream(struct args *a);
int cmd_exchange(struct args *a);

/* native_ping.c: native-Linux baselines for the benchmarks */
int cmd_edu_ping(struct args *a);
int cmd_pipe_ping(struct args *a);

/* chan_sensor.c: print components/sensor's readings from a channel (include/cella/sensor.h) */
int cmd_sensor(struct args *a);

/* cella_ctl.c: cell control through the portal; argv[0] is "ctl" or "cella-ctl" */
int ctl_main(int argc, char **argv);

#endif
