/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap.c - network namespaces and interface setup through libnl-3 (see tap.h).
 */
#include "tap/tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

static int
tap_parse_one(const char *s, struct tap_addr *out, char *err, size_t err_size)
{
	char buf[64];
	char *slash, *end;
	long plen;
	int max;

	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, err_size, "address '%s' is too long", s);
		return -EINVAL;
	}
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL) {
		snprintf(err, err_size, "address '%s' has no prefix length (like 10.0.0.1/24)", s);
		return -EINVAL;
	}
	*slash = '\0';
	if (inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->bytes) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		snprintf(err, err_size, "'%s' is not an IPv4 or IPv6 address", buf);
		return -EINVAL;
	}
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (errno != 0 || end == slash + 1 || *end != '\0' || plen < 0 || plen > max) {
		snprintf(err, err_size, "bad prefix length '%s' in '%s' (0..%d)", slash + 1, s,
			 max);
		return -EINVAL;
	}
	out->prefix_len = (uint8_t)plen;
	return 0;
}

int
tap_parse_addrs(const char *s, struct tap_addr *out, unsigned max, char *err, size_t err_size)
{
	char *copy, *tok, *save = NULL;
	unsigned n = 0;
	int ret = 0;

	copy = strdup(s);
	if (copy == NULL) {
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			snprintf(err, err_size, "too many addresses in '%s' (at most %u)", s, max);
			ret = -EINVAL;
			break;
		}
		ret = tap_parse_one(tok, &out[n], err, err_size);
		if (ret < 0) {
			break;
		}
		n++;
	}
	if (ret == 0 && n == 0) {
		snprintf(err, err_size, "no address in '%s'", s);
		ret = -EINVAL;
	}
	free(copy);
	return ret < 0 ? ret : (int)n;
}

void
tap_netns_path(const char *netns, char *buf, size_t size)
{
	if (netns[0] == '/') {
		snprintf(buf, size, "%s", netns);
	} else {
		snprintf(buf, size, "%s/%s", TAP_NETNS_DIR, netns);
	}
}

int
tap_ns_enter(const char *netns, int *saved, char *err, size_t err_size)
{
	char path[256];
	int fd, cur;

	*saved = -1;
	if (netns == NULL || netns[0] == '\0') {
		return 0;
	}
	tap_netns_path(netns, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		snprintf(err, err_size, "network namespace '%s' does not exist (%s: %s)", netns,
			 path, strerror(e));
		return -e;
	}
	cur = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (cur < 0 || setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;

		snprintf(err, err_size, "cannot enter network namespace '%s': %s", netns,
			 strerror(e));
		if (cur >= 0) {
			close(cur);
		}
		close(fd);
		return -e;
	}
	close(fd);
	*saved = cur;
	return 0;
}

void
tap_ns_leave(int saved)
{
	if (saved < 0) {
		return;
	}
	if (setns(saved, CLONE_NEWNET) < 0) {
		/* Staying in a container's namespace would misplace every later
		 * device: there is no safe way on. */
		perror("vireod: cannot return to the host network namespace");
		abort();
	}
	close(saved);
}

bool
tap_if_exists(const char *ifname)
{
	return if_nametoindex(ifname) != 0;
}

static int
tap_add_addr(struct nl_sock *sk, int ifindex, const struct tap_addr *a, char *err, size_t err_size)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;
	int ret;

	local = nl_addr_build(a->family, a->bytes, a->family == AF_INET ? 4 : 16);
	if (ra == NULL || local == NULL) {
		ret = -NLE_NOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(local, a->prefix_len);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_local(ra, local);
	ret = rtnl_addr_add(sk, ra, NLM_F_REPLACE);
out:
	if (ret < 0) {
		snprintf(err, err_size, "cannot add address: %s", nl_geterror(ret));
	}
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return ret < 0 ? -EINVAL : 0;
}

int
tap_configure(const struct tap_config *cfg, char *err, size_t err_size)
{
	struct rtnl_link *link = NULL, *change = NULL;
	struct nl_sock *sk;
	unsigned i;
	int ret;

	sk = nl_socket_alloc();
	if (sk == NULL) {
		snprintf(err, err_size, "cannot allocate a netlink socket");
		return -ENOMEM;
	}
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret == 0) {
		ret = rtnl_link_get_kernel(sk, 0, cfg->ifname, &link);
	}
	if (ret < 0) {
		snprintf(err, err_size, "cannot find interface %s: %s", cfg->ifname,
			 nl_geterror(ret));
		ret = -ENODEV;
		goto out;
	}
	change = rtnl_link_alloc();
	if (cfg->mtu != 0) {
		rtnl_link_set_mtu(change, cfg->mtu);
	}
	rtnl_link_set_flags(change, IFF_UP);
	ret = rtnl_link_change(sk, link, change, 0);
	if (ret < 0) {
		snprintf(err, err_size, "cannot set up %s: %s", cfg->ifname, nl_geterror(ret));
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < cfg->n_addrs && ret == 0; i++) {
		ret = tap_add_addr(sk, rtnl_link_get_ifindex(link), &cfg->addrs[i], err, err_size);
	}
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}
