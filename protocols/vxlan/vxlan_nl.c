/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vxlan_nl.c - the kernel's IPv4 routes and link facts for the VXLAN
 * underlay, read through libnl-route-3 caches (see vxlan_nl.h).
 *
 * Each call dumps into a throw-away libnl cache and converts what it needs;
 * nothing from libnl outlives the call. libnl reports errors as negative
 * NLE_* codes, which are mapped back to -errno at this module's boundary.
 * A dump the kernel marks interrupted (the table changed under it) is
 * restarted by libnl's nl_cache_refill() itself.
 */
#include "protocols/vxlan/vxlan_nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "protocols/vxlan/vxlan_neigh.h"

/* The -errno for the libnl error 'nlerr' (negative NLE_* code). */
static int
vxlan_nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	default:
		return -EIO;
	}
}

/* Open a NETLINK_ROUTE socket into '*out'. Returns 0 or -errno. */
static int
vxlan_nl_open(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (sk == NULL) {
		return -ENOMEM;
	}
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret < 0) {
		nl_socket_free(sk);
		return vxlan_nl_errno(ret);
	}
	*out = sk;
	return 0;
}

/* 'a' in host order, or 0 when 'a' is NULL or not a whole IPv4 address (a default route's dst). */
static uint32_t
vxlan_nl_ipv4(struct nl_addr *a)
{
	uint32_t be;

	if (a == NULL || nl_addr_get_family(a) != AF_INET || nl_addr_get_len(a) != sizeof(be)) {
		return 0;
	}
	memcpy(&be, nl_addr_get_binary_addr(a), sizeof(be));
	return ntohl(be);
}

/*
 * Convert 'route' into 'out'. Returns false for anything but a main-table
 * IPv4 unicast route whose first next hop names an interface and, if it
 * has a gateway, an IPv4 one: a route via an IPv6 next hop would look
 * on-link here and send ARP for the remote VTEP itself.
 */
static bool
vxlan_nl_route_convert(struct rtnl_route *route, struct vxlan_route *out)
{
	struct rtnl_nexthop *nh;
	struct nl_addr *dst, *gw;

	if (rtnl_route_get_family(route) != AF_INET ||
	    rtnl_route_get_table(route) != RT_TABLE_MAIN ||
	    rtnl_route_get_type(route) != RTN_UNICAST || rtnl_route_get_nnexthops(route) < 1) {
		return false;
	}
	nh = rtnl_route_nexthop_n(route, 0);
	gw = rtnl_route_nh_get_gateway(nh);
	dst = rtnl_route_get_dst(route);
	if (rtnl_route_nh_get_ifindex(nh) <= 0 || rtnl_route_nh_get_via(nh) != NULL ||
	    (gw != NULL && nl_addr_get_family(gw) != AF_INET) ||
	    (dst != NULL && nl_addr_get_prefixlen(dst) > 32)) {
		return false;
	}
	memset(out, 0, sizeof(*out));
	out->prefix = vxlan_nl_ipv4(dst);
	out->len = dst != NULL ? (uint8_t)nl_addr_get_prefixlen(dst) : 0;
	out->gateway = vxlan_nl_ipv4(gw);
	out->src = vxlan_nl_ipv4(rtnl_route_get_pref_src(route));
	out->metric = rtnl_route_get_priority(route);
	out->ifindex_or_port = rtnl_route_nh_get_ifindex(nh);
	return true;
}

int
vxlan_nl_load_routes(struct vxlan_routes *rt, char *err, size_t err_size)
{
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	struct vxlan_route r;
	struct nl_sock *sk;
	int ret, n = 0;

	ret = vxlan_nl_open(&sk);
	if (ret < 0) {
		snprintf(err, err_size, "cannot open a route netlink socket: %s", strerror(-ret));
		return ret;
	}
	ret = rtnl_route_alloc_cache(sk, AF_INET, 0, &cache);
	if (ret < 0) {
		snprintf(err, err_size, "cannot dump the kernel's IPv4 routes: %s",
			 nl_geterror(ret));
		ret = vxlan_nl_errno(ret);
		goto out_free_sock;
	}
	for (obj = nl_cache_get_first(cache); obj != NULL; obj = nl_cache_get_next(obj)) {
		if (vxlan_nl_route_convert((struct rtnl_route *)obj, &r) &&
		    vxlan_routes_add(rt, &r) == 0) {
			n++;
		}
	}
	ret = n;
	nl_cache_free(cache);
out_free_sock:
	nl_socket_free(sk);
	return ret;
}

/* The first IPv4 address on 'ifindex' in 'addrs', host order, or 0. */
static uint32_t
vxlan_nl_first_ipv4(struct nl_cache *addrs, int ifindex)
{
	struct nl_object *obj;
	struct rtnl_addr *a;

	for (obj = nl_cache_get_first(addrs); obj != NULL; obj = nl_cache_get_next(obj)) {
		a = (struct rtnl_addr *)obj;
		if (rtnl_addr_get_family(a) == AF_INET && rtnl_addr_get_ifindex(a) == ifindex) {
			return vxlan_nl_ipv4(rtnl_addr_get_local(a));
		}
	}
	return 0;
}

int
vxlan_nl_link_info(int ifindex, unsigned *mtu, uint32_t *first_ipv4)
{
	struct nl_cache *addrs = NULL;
	struct rtnl_link *link = NULL;
	struct nl_sock *sk;
	int ret;

	if (ifindex <= 0) {
		return -ENODEV;
	}
	ret = vxlan_nl_open(&sk);
	if (ret < 0) {
		return ret;
	}
	ret = rtnl_link_get_kernel(sk, ifindex, NULL, &link);
	if (ret < 0) {
		/* The kernel's ENODEV reaches us as NLE_OBJ_NOTFOUND. */
		ret = ret == -NLE_OBJ_NOTFOUND ? -ENODEV : vxlan_nl_errno(ret);
		goto out_free_sock;
	}
	ret = rtnl_addr_alloc_cache(sk, &addrs);
	if (ret < 0) {
		ret = vxlan_nl_errno(ret);
		goto out_put_link;
	}
	*mtu = rtnl_link_get_mtu(link);
	*first_ipv4 = vxlan_nl_first_ipv4(addrs, ifindex);
	nl_cache_free(addrs);
out_put_link:
	rtnl_link_put(link);
out_free_sock:
	nl_socket_free(sk);
	return ret;
}
