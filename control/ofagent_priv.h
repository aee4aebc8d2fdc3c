/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofagent_priv.h - internals of the OpenFlow 1.3 agent shared by its
 * files: ofagent.c (the agent core: ports, sending, publication, flow
 * mods, packet-in/out, port status, configuration, roles, dispatch, life
 * cycle, controllers), ofagent_mp.c (multipart requests [OpenFlow 1.3.5,
 * 7.3.5]) and ofagent_cli.c (the CLI's flow commands and trace). Nothing
 * outside these three files includes it.
 *
 * Control thread only, like everything in ofagent.h.
 */
#ifndef VIREO_CONTROL_OFAGENT_PRIV_H
#define VIREO_CONTROL_OFAGENT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/openflow/of_err.h"
#include "protocols/openflow/of_wire.h"

struct ctl_bridge;
struct ctl_port;
struct ctl_switch;
struct dp_cls;
struct event;
struct of_conn;
struct of_conn_mgr;
struct of_flow;
struct of_header;
struct of_port;
struct oft;
struct oft_flow;

#define OFA_N_TABLES 254 /* tables 0..253 reported; 254 also works */
#define OFA_MSG_SIZE (OFP_MSG_MAX + 1)

/* What the agent keeps per connection. */
struct ofa_conn {
	uint8_t role;        /* OFPCR_ROLE_* (EQUAL until a ROLE_REQUEST) */
	uint32_t async[6];   /* packet_in, port_status, flow_removed masks: master/equal, slave */
	uint64_t generation; /* last generation_id seen in a ROLE_REQUEST */
};

struct ofagent {
	struct ctl_switch *sw;     /* the switch, borrowed */
	struct ctl_bridge *br;     /* the bridge, borrowed */
	struct oft *oft;           /* its flow tables */
	struct of_conn_mgr *mgr;   /* its controller channels, NULL without an event base */
	struct event *publish_ev;  /* coalesces publication of flow changes */
	struct dp_cls *live;       /* the classifier published for the bridge */
	bool dirty;                /* flows changed since 'live' was built */
	uint64_t publish_ms;       /* how long flow changes wait to be published */
	bool secure;               /* fail mode secure */
	bool fail_open;            /* 'live' is the fail-open NORMAL table */
	unsigned n_active;         /* controllers configured that vireod connects to */
	uint64_t dpid;             /* datapath id */
	uint16_t config_flags;     /* SET_CONFIG flags */
	uint16_t miss_send_len;    /* SET_CONFIG miss_send_len */
	uint8_t buf[OFA_MSG_SIZE]; /* encoding scratch */
};

/* ---- ofagent.c ------------------------------------------------------ */

/* Milliseconds of CLOCK_MONOTONIC, the time base of flow ages and timeouts. */
uint64_t ofa_now_ms(void);

/* OpenFlow 1.3 port number of 'p' (the internal port is OFPP_LOCAL). */
uint32_t ofa_port_no(const struct ctl_port *p);

/* The port of the bridge with OpenFlow 1.3 number 'port_no', or NULL; borrowed. */
struct ctl_port *ofa_port_find(const struct ofagent *a, uint32_t port_no);

/* Fills 'out' with the struct ofp_port of 'p' (configuration, link state, speed). */
void ofa_port_desc(const struct ofagent *a, const struct ctl_port *p, struct of_port *out);

/* Answers the request 'req' of 'size' bytes on 'c' with the error 'err'. */
void ofa_error(struct ofagent *a, struct of_conn *c, enum of_err err, const uint8_t *req,
	       size_t size);

/* Publishes pending flow changes to the datapath now (before replies that must see them). */
void ofa_flush(struct ofagent *a);

/*
 * Applies flow_mod 'fm' (borrowed) to the tables; returns OF_ERR_NONE, or
 * the error and nothing changed.
 */
enum of_err ofa_flow_mod(struct ofagent *a, const struct of_flow *fm);

/* Packet and byte counters of flow 'f' and when it was last used (ms), as the datapath saw them. */
void ofa_flow_counters(const struct ofagent *a, const struct oft_flow *f, uint64_t *packets,
		       uint64_t *bytes, uint64_t *used_ms);

/* ---- ofagent_mp.c --------------------------------------------------- */

/*
 * Answers MULTIPART_REQUEST 'msg' ('size' bytes, header 'hdr') from 'c'
 * with the replies or an error.
 */
void ofa_handle_multipart(struct ofagent *a, struct of_conn *c, const struct of_header *hdr,
			  const uint8_t *msg, size_t size);

#endif /* VIREO_CONTROL_OFAGENT_PRIV_H */
