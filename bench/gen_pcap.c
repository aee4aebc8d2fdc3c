/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen_pcap.c - write a pcap of small Ethernet/IPv4/UDP (or TCP) frames for
 * the benchmarks (replayed by net_pcap with infinite_rx=1).
 *
 *   gen_pcap OUT.pcap [--flows N] [--count N] [--src-mac M] [--dst-mac M]
 *                     [--src-macs N] [--size BYTES] [--vlan VID]
 *                     [--tcp] [--prefixes N] [--ports K] [--dport P]
 *                     [--vxlan VNI] [--outer-src-ip A] [--outer-dst-ip A]
 *                     [--outer-src-mac M] [--outer-dst-mac M]
 *
 * Frame i belongs to flow (i % flows) and carries source MAC number
 * (i % src-macs).  Flow f has IPv4 source 10.0.0.1 + f and source port
 * 1024 + f % 64000; destination 10.1.0.1 and port 5001 for all by
 * default.  Source MAC k is --src-mac plus k, added to its low 24 bits.
 * The IPv4 header checksum and the UDP or TCP checksum are correct.
 *
 * The flows' destinations can be spread over prefixes and ports, to hit
 * the rules of an OpenFlow table (bench/run's of-rules-* scenarios):
 *   --prefixes N  flow f goes to prefix p = f % N, 10.(100 + p / 256).
 *                 (p % 256).0/24, host 1 + (f / N) % 254 in it (N up to
 *                 25,600);
 *   --ports K     to destination port P + f % K, P being --dport (5001);
 *   --tcp         the frames are TCP (ACK, no options) instead of UDP.
 * Distinct flows have distinct 5-tuples (their source address differs).
 *
 * --vlan VID gives every frame an 802.1Q tag (TPID 0x8100, PCP 0, VID
 * 0..4094) between the source MAC and the IPv4 EtherType.
 *
 * --vxlan VNI wraps every frame (the "inner" frame, built as above, its
 * FCS left out) in Ethernet/IPv4/UDP/VXLAN (RFC 7348) as a VTEP sends it:
 * outer MACs --outer-src-mac (aa:bb:cc:dd:ee:02) to --outer-dst-mac
 * (aa:bb:cc:dd:ee:01), IPv4 --outer-src-ip (198.18.0.2) to --outer-dst-ip
 * (198.18.0.1), DF, TTL 64, UDP destination port 4789, checksum 0, the
 * source port a hash of the inner flow in 32768..60999 (as Linux and OVS
 * pick it, so distinct inner flows spread over source ports), VXLAN flags
 * I and VNI.  The frame grows by 50 bytes; --size stays the inner size.
 *
 * --size is the frame size on the wire, FCS and any tag included
 * (default 64, the usual "64-byte frame"; a tag takes its 4 bytes from
 * the UDP payload); the pcap holds the frame without its FCS, so 60
 * bytes for the default.  --count defaults to max(flows, src-macs), so
 * every flow and every source MAC occurs at least once.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#define ETH_HLEN     14
#define VLAN_HLEN    4
#define IP_HLEN      20
#define UDP_HLEN     8
#define TCP_HLEN     20
#define FCS_LEN      4
#define MIN_ETH_WIRE 64   /* Ethernet minimum, FCS included */
#define MAX_WIRE     1518 /* untagged, FCS included */
#define MAX_VID      4094
#define MAX_COUNT    (1UL << 24)
#define MAX_PREFIXES (100UL * 256) /* 10.100.0.0/24 .. 10.199.255.0/24 */
#define IPPROTO_UDP_ 17
#define IPPROTO_TCP_ 6
#define VXLAN_HLEN   (ETH_HLEN + IP_HLEN + UDP_HLEN + 8)
#define VXLAN_PORT   4789

struct opts {
	const char *out;
	unsigned long flows;
	unsigned long count;
	unsigned long src_macs;
	unsigned size;
	int vid;                /* 802.1Q VID, or -1 for untagged frames */
	unsigned long prefixes; /* destination /24 prefixes, 0 for 10.1.0.1 */
	unsigned long ports;    /* destination ports from dport on */
	unsigned long dport;    /* the first destination port */
	int tcp;                /* TCP frames rather than UDP */
	long vni;               /* VXLAN VNI to wrap frames in, or -1 */
	uint32_t outer_src_ip, outer_dst_ip;
	uint8_t outer_src_mac[6];
	uint8_t outer_dst_mac[6];
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: gen_pcap OUT.pcap [--flows N] [--count N] [--src-mac M] [--dst-mac M]\n"
		"                [--src-macs N] [--size BYTES] [--vlan VID]\n"
		"                [--tcp] [--prefixes N] [--ports K] [--dport P]\n"
		"                [--vxlan VNI] [--outer-src-ip A] [--outer-dst-ip A]\n"
		"                [--outer-src-mac M] [--outer-dst-mac M]\n"
		"defaults: --flows 1 --src-mac 02:00:00:00:00:01 --dst-mac 02:00:00:00:00:02\n"
		"          --src-macs 1 --size 64 (on the wire, FCS and tag included)\n"
		"          --count max(flows, src-macs), untagged, UDP to 10.1.0.1:5001\n"
		"          (--prefixes N: 10.(100+p/256).(p%%256).H, p = flow %% N;\n"
		"          --ports K: port --dport + flow %% K)\n"
		"          --vxlan: aa:bb:cc:dd:ee:02 198.18.0.2 -> aa:bb:cc:dd:ee:01 198.18.0.1\n"
		"          UDP 4789, source port from the inner flow's hash\n");
}

static int
parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < min || v > max) {
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6) {
		return -1;
	}
	for (i = 0; i < 6; i++) {
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int
parse_ipv4(const char *s, uint32_t *out)
{
	unsigned b[4];
	char tail;

	if (sscanf(s, "%3u.%3u.%3u.%3u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4 || b[0] > 255 ||
	    b[1] > 255 || b[2] > 255 || b[3] > 255) {
		return -1;
	}
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"flows", required_argument, NULL, 'f'},
	    {"count", required_argument, NULL, 'n'},
	    {"src-mac", required_argument, NULL, 's'},
	    {"dst-mac", required_argument, NULL, 'd'},
	    {"src-macs", required_argument, NULL, 'm'},
	    {"size", required_argument, NULL, 'z'},
	    {"vlan", required_argument, NULL, 'v'},
	    {"tcp", no_argument, NULL, 't'},
	    {"prefixes", required_argument, NULL, 'p'},
	    {"ports", required_argument, NULL, 'k'},
	    {"dport", required_argument, NULL, 'P'},
	    {"vxlan", required_argument, NULL, 'x'},
	    {"outer-src-ip", required_argument, NULL, 'I'},
	    {"outer-dst-ip", required_argument, NULL, 'J'},
	    {"outer-src-mac", required_argument, NULL, 'S'},
	    {"outer-dst-mac", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 'n':
		case 'm':
			if (parse_ulong(optarg, 1, MAX_COUNT, &v) < 0) {
				fprintf(stderr, "gen_pcap: bad number '%s' (1..%lu)\n", optarg,
					MAX_COUNT);
				return -1;
			}
			*(c == 'f' ? &o->flows : c == 'n' ? &o->count : &o->src_macs) = v;
			break;
		case 't':
			o->tcp = 1;
			break;
		case 'p':
		case 'k':
		case 'P':
			if (parse_ulong(optarg, 1, c == 'p' ? MAX_PREFIXES : 65535, &v) < 0) {
				fprintf(stderr, "gen_pcap: bad number '%s' (1..%lu)\n", optarg,
					c == 'p' ? MAX_PREFIXES : 65535UL);
				return -1;
			}
			*(c == 'p' ? &o->prefixes : c == 'k' ? &o->ports : &o->dport) = v;
			break;
		case 'z':
			/* The upper bound for untagged frames is checked below. */
			if (parse_ulong(optarg, MIN_ETH_WIRE, MAX_WIRE + VLAN_HLEN, &v) < 0) {
				fprintf(stderr, "gen_pcap: bad size '%s' (%d..%d, %d tagged)\n",
					optarg, MIN_ETH_WIRE, MAX_WIRE, MAX_WIRE + VLAN_HLEN);
				return -1;
			}
			o->size = (unsigned)v;
			break;
		case 'v':
			if (parse_ulong(optarg, 0, MAX_VID, &v) < 0) {
				fprintf(stderr, "gen_pcap: bad VLAN ID '%s' (0..%d)\n", optarg,
					MAX_VID);
				return -1;
			}
			o->vid = (int)v;
			break;
		case 's':
		case 'd':
			if (parse_mac(optarg, c == 's' ? o->src_mac : o->dst_mac) < 0) {
				fprintf(stderr, "gen_pcap: bad MAC '%s'\n", optarg);
				return -1;
			}
			break;
		case 'x':
			if (parse_ulong(optarg, 0, 0xffffff, &v) < 0) {
				fprintf(stderr, "gen_pcap: bad VNI '%s' (0..16777215)\n", optarg);
				return -1;
			}
			o->vni = (long)v;
			break;
		case 'I':
		case 'J':
			if (parse_ipv4(optarg, c == 'I' ? &o->outer_src_ip : &o->outer_dst_ip) <
			    0) {
				fprintf(stderr, "gen_pcap: bad IPv4 address '%s'\n", optarg);
				return -1;
			}
			break;
		case 'S':
		case 'D':
			if (parse_mac(optarg, c == 'S' ? o->outer_src_mac : o->outer_dst_mac) < 0) {
				fprintf(stderr, "gen_pcap: bad MAC '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->out = argv[optind];
	if (o->vid < 0 && o->size > MAX_WIRE) {
		fprintf(stderr, "gen_pcap: bad size %u (%d..%d untagged)\n", o->size, MIN_ETH_WIRE,
			MAX_WIRE);
		return -1;
	}
	if (o->src_mac[0] & 1) {
		fprintf(stderr, "gen_pcap: the source MAC must be unicast\n");
		return -1;
	}
	if (o->dport + o->ports - 1 > 65535) {
		fprintf(stderr, "gen_pcap: --dport + --ports goes beyond port 65535\n");
		return -1;
	}
	if (o->count == 0) {
		o->count = o->flows > o->src_macs ? o->flows : o->src_macs;
	}
	return 0;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Ones' complement sum of 'len' bytes, big-endian 16-bit words. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	if (len & 1) {
		sum += (uint32_t)(p[len - 1] << 8);
	}
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

/* The destination address of flow 'flow' (see the header comment). */
static uint32_t
dst_addr(const struct opts *o, unsigned long flow)
{
	unsigned long p;

	if (o->prefixes == 0) {
		return 0x0a010001u; /* 10.1.0.1 */
	}
	p = flow % o->prefixes;
	return 0x0a000000u | (uint32_t)(100 + p / 256) << 16 | (uint32_t)(p % 256) << 8 |
	       (uint32_t)(1 + flow / o->prefixes % 254);
}

/*
 * Writes the UDP or TCP header and payload of flow 'flow' at 'l4'
 * ('l4_len' bytes, header included) and its checksum over the pseudo
 * header of the IPv4 header 'ip'.
 */
static void
build_l4(const struct opts *o, unsigned long flow, const uint8_t *ip, uint8_t *l4, uint16_t l4_len)
{
	unsigned hlen = o->tcp ? TCP_HLEN : UDP_HLEN, k, csum_off = o->tcp ? 16 : 6;
	uint8_t pseudo[12];
	uint32_t sum;

	put16(l4, (uint16_t)(1024 + flow % 64000));
	put16(l4 + 2, (uint16_t)(o->dport + flow % o->ports));
	if (o->tcp) {
		put32(l4 + 4, (uint32_t)flow); /* sequence number */
		put32(l4 + 8, 1);              /* acknowledgement number */
		l4[12] = TCP_HLEN / 4 << 4;    /* data offset, no options */
		l4[13] = 0x10;                 /* ACK */
		put16(l4 + 14, 65535);         /* window */
	} else {
		put16(l4 + 4, l4_len);
	}
	/* Payload: a recognisable pattern. */
	for (k = hlen; k < l4_len; k++) {
		l4[k] = (uint8_t)k;
	}
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = ip[9];
	put16(pseudo + 10, l4_len);
	sum = csum_add(csum_add(0, pseudo, sizeof(pseudo)), l4, l4_len);
	sum = csum_fold(sum);
	/* A UDP checksum of 0 means "no checksum": send its other form. */
	put16(l4 + csum_off, sum == 0 && !o->tcp ? 0xffff : (uint16_t)sum);
}

/* Builds frame 'i' into 'f' ('len' bytes, FCS excluded). */
static void
build_frame(const struct opts *o, unsigned long i, uint8_t *f, unsigned len)
{
	unsigned long flow = i % o->flows, macn = i % o->src_macs;
	unsigned l2len = ETH_HLEN + (o->vid < 0 ? 0 : VLAN_HLEN);
	uint8_t *ip = f + l2len;
	uint32_t src_ip = 0x0a000001u + (uint32_t)flow; /* 10.0.0.1 + flow */
	uint32_t mac_lo;
	uint16_t ip_len = (uint16_t)(len - l2len);

	memset(f, 0, len);
	/* Ethernet: source MAC k = --src-mac + k in its low 24 bits. */
	memcpy(f, o->dst_mac, 6);
	memcpy(f + 6, o->src_mac, 6);
	mac_lo = ((uint32_t)o->src_mac[3] << 16 | (uint32_t)o->src_mac[4] << 8 | o->src_mac[5]) +
		 (uint32_t)macn;
	f[9] = (uint8_t)(mac_lo >> 16);
	f[10] = (uint8_t)(mac_lo >> 8);
	f[11] = (uint8_t)mac_lo;
	if (o->vid >= 0) {
		/* 802.1Q: TPID, then PCP 0, DEI 0 and the VID. */
		put16(f + 12, 0x8100);
		put16(f + 14, (uint16_t)o->vid);
	}
	put16(f + l2len - 2, 0x0800);

	/* IPv4, no options, DF, TTL 64, UDP or TCP. */
	ip[0] = 0x45;
	put16(ip + 2, ip_len);
	put16(ip + 4, (uint16_t)i);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = o->tcp ? IPPROTO_TCP_ : IPPROTO_UDP_;
	put32(ip + 12, src_ip);
	put32(ip + 16, dst_addr(o, flow));
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));

	build_l4(o, flow, ip, ip + IP_HLEN, (uint16_t)(ip_len - IP_HLEN));
}

/* The outer UDP source port of flow 'flow': a hash of the flow, in the
 * range Linux gives VXLAN source ports by default (32768..60999). */
static uint16_t
vxlan_src_port(unsigned long flow)
{
	uint32_t h = (uint32_t)flow * 0x9e3779b1u;

	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return (uint16_t)(32768 + h % (61000 - 32768));
}

/* Wraps the inner frame of flow 'flow' at 'f + VXLAN_HLEN' ('inner_len'
 * bytes) in Ethernet/IPv4/UDP/VXLAN headers at 'f'. */
static void
build_vxlan(const struct opts *o, unsigned long i, uint8_t *f, unsigned inner_len)
{
	uint8_t *ip = f + ETH_HLEN, *udp = ip + IP_HLEN, *vx = udp + UDP_HLEN;

	memcpy(f, o->outer_dst_mac, 6);
	memcpy(f + 6, o->outer_src_mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP_HLEN + UDP_HLEN + 8 + inner_len));
	put16(ip + 4, (uint16_t)i);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP_;
	put32(ip + 12, o->outer_src_ip);
	put32(ip + 16, o->outer_dst_ip);
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
	put16(udp, vxlan_src_port(i % o->flows));
	put16(udp + 2, VXLAN_PORT);
	put16(udp + 4, (uint16_t)(UDP_HLEN + 8 + inner_len));
	put16(udp + 6, 0); /* no checksum, as VTEPs send over IPv4 */
	memset(vx, 0, 8);
	vx[0] = 0x08; /* I: the VNI is valid */
	vx[4] = (uint8_t)(o->vni >> 16);
	vx[5] = (uint8_t)(o->vni >> 8);
	vx[6] = (uint8_t)o->vni;
}

int
main(int argc, char **argv)
{
	struct opts o = {
	    .flows = 1,
	    .src_macs = 1,
	    .size = MIN_ETH_WIRE,
	    .vid = -1,
	    .ports = 1,
	    .dport = 5001,
	    .src_mac = {0x02, 0, 0, 0, 0, 0x01},
	    .dst_mac = {0x02, 0, 0, 0, 0, 0x02},
	    .vni = -1,
	    .outer_src_ip = 0xc6120002u, /* 198.18.0.2 */
	    .outer_dst_ip = 0xc6120001u, /* 198.18.0.1 */
	    .outer_src_mac = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x02},
	    .outer_dst_mac = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01},
	};
	uint8_t frame[VXLAN_HLEN + MAX_WIRE + VLAN_HLEN];
	char vxlan[64] = "";
	unsigned outer;
	char vlan[24] = "untagged";
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	unsigned long i;
	unsigned len;
	pcap_t *p;

	if (parse_opts(argc, argv, &o) < 0) {
		return 2;
	}
	len = o.size - FCS_LEN;
	outer = o.vni >= 0 ? VXLAN_HLEN : 0;
	p = pcap_open_dead(DLT_EN10MB, 65535);
	if (p == NULL) {
		fprintf(stderr, "gen_pcap: pcap_open_dead failed\n");
		return 1;
	}
	d = pcap_dump_open(p, o.out);
	if (d == NULL) {
		fprintf(stderr, "gen_pcap: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	for (i = 0; i < o.count; i++) {
		build_frame(&o, i, frame + outer, len);
		if (outer != 0) {
			build_vxlan(&o, i, frame, len);
		}
		/* One frame a microsecond; net_pcap's infinite_rx ignores the times. */
		h.ts.tv_sec = (time_t)(i / 1000000);
		h.ts.tv_usec = (suseconds_t)(i % 1000000);
		h.caplen = len + outer;
		h.len = len + outer;
		pcap_dump((u_char *)d, &h, frame);
	}
	if (pcap_dump_flush(d) != 0) {
		fprintf(stderr, "gen_pcap: cannot write %s\n", o.out);
		pcap_dump_close(d);
		pcap_close(p);
		return 1;
	}
	pcap_dump_close(d);
	pcap_close(p);
	if (o.vid >= 0) {
		snprintf(vlan, sizeof(vlan), "802.1Q VID %d", o.vid);
	}
	if (o.vni >= 0) {
		snprintf(vxlan, sizeof(vxlan), ", in VXLAN VNI %ld (%u bytes +FCS)", o.vni,
			 len + outer);
	}
	printf("gen_pcap: %s: %lu %s frames of %u bytes (+FCS), %lu flow(s), %lu source MAC(s), "
	       "%s, %lu destination prefix(es), %lu destination port(s) from %lu%s\n",
	       o.out, o.count, o.tcp ? "TCP" : "UDP", len, o.flows, o.src_macs, vlan,
	       o.prefixes ? o.prefixes : 1, o.ports, o.dport, vxlan);
	return 0;
}
