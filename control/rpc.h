/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpc.h - the control socket's JSON-RPC methods, shared by vireod and vireoctl.
 *
 * Framing: one JSON object per line ('\n'-terminated, UTF-8) in each
 * direction over a unix stream socket (default /run/vireo/vireod.sock).
 * A client may send several requests on one connection; replies come in
 * order.
 *
 *   request:  {"jsonrpc":"2.0","id":1,"method":"add-br","params":{...}}
 *   success:  {"jsonrpc":"2.0","id":1,"result":{...}}
 *   failure:  {"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"..."}}
 *
 * "message" is one human-readable line that vireoctl prints after
 * "vireoctl: ".  A failed request changes nothing: neither the running
 * switch nor the configuration file.
 *
 * Methods (params -> result):
 *   add-br      {"bridge":S, "may_exist":B?}                    -> {}
 *   del-br      {"bridge":S, "if_exists":B?}                    -> {}
 *   list-br     {}                                              -> {"bridges":[S...]}
 *   add-port    {"bridge":S, "port":S, "type":S?, "options":{S:S}?, "may_exist":B?}
 *                                                               -> {"ofport":N}
 *               type is "tap" (default when options:netns is set), "dpdk",
 *               or "internal" (reserved for the bridge's own port).
 *   del-port    {"bridge":S?, "port":S, "if_exists":B?}         -> {}
 *   list-ports  {"bridge":S}                                    -> {"ports":[S...]}
 *   set         {"table":"bridge"|"port"|"interface", "record":S,
 *                "values":{K:V}}                                -> {}
 *               bridge keys: "other_config:mac-aging-time" (seconds, 1..1000000)
 *   show        {}  -> {"bridges":[{"name":S, "mac":S, "mac_aging_time":N,
 *                        "ports":[{"name":S, "ofport":N, "type":S, "mac":S,
 *                                  "link":"up"|"down", "options":{S:S},
 *                                  "error":S?}]}]}
 *   fdb/show    {"bridge":S} -> {"entries":[{"port":N, "port_name":S, "vlan":N,
 *                                            "mac":S, "age":N, "static":B}]}
 *   fdb/add     {"bridge":S, "port":S, "vlan":N, "mac":S}        -> {}
 *   fdb/del     {"bridge":S, "vlan":N, "mac":S}                  -> {}
 *   fdb/flush   {"bridge":S?}                                    -> {}
 *   dump-ports  {"bridge":S, "port":S?} -> {"ports":[{"ofport":N, "name":S,
 *                 "rx_packets":N, "rx_bytes":N, "rx_dropped":N, "rx_errors":N,
 *                 "tx_packets":N, "tx_bytes":N, "tx_dropped":N, "tx_errors":N}]}
 *   pmd-stats   {} -> {"pmds":[{"lcore":N, "rx_packets":N, "busy_cycles":N,
 *                                "idle_cycles":N, "upcall_dropped":N, "rx_queues":N}],
 *                       "drops":{S:N}}     (datapath drops by reason, all PMDs)
 *
 * OpenFlow (see protocols/openflow; flows in ovs-ofctl's syntax):
 *   set-controller {"bridge":S, "targets":[S...]}                -> {}
 *               targets: tcp:IP[:PORT], unix:PATH, ptcp:[PORT][:IP], punix:PATH
 *   del-controller {"bridge":S}                                  -> {}
 *   get-controller {"bridge":S} -> {"controllers":[{"target":S,
 *                 "state":"connecting"|"connected"|"backoff"|"listening"|"failed",
 *                 "connections":N, "error":S?}]}
 *   set-fail-mode  {"bridge":S, "mode":"standalone"|"secure"}    -> {}
 *   del-fail-mode  {"bridge":S}                                  -> {}
 *   get-fail-mode  {"bridge":S}              -> {"mode":S}  ("" when not set)
 *   add-flow    {"bridge":S, "flow":S}                           -> {}
 *   add-flows   {"bridge":S, "flows":[S...]}                     -> {"added":N}
 *   mod-flows   {"bridge":S, "flow":S, "strict":B?}              -> {}
 *   del-flows   {"bridge":S, "match":S?, "strict":B?}            -> {}
 *   dump-flows  {"bridge":S, "match":S?} -> {"flows":[{"text":S, "table":N,
 *                 "priority":N, "cookie":N, "n_packets":N, "n_bytes":N,
 *                 "duration":F, "idle_age":N}]}   ("text": as ovs-ofctl prints it)
 *   trace       {"bridge":S, "flow":S}   -> {"text":S}  (lines, each table, rule, action)
 *   show also gives each bridge "controllers" (as get-controller) and
 *   "fail_mode" (S, "" when not set), "datapath_id" (16 hex digits); bridge
 *   keys for set: "other_config:datapath-id" (16 hex digits).
 *
 * Error codes follow JSON-RPC 2.0: -32700 parse error, -32600 invalid
 * request, -32601 unknown method, -32602 bad params (including a missing
 * bridge or port, or a duplicate name), -32000 the switch could not carry
 * the request out (for example a network namespace that does not exist).
 */
#ifndef VIREO_CONTROL_RPC_H
#define VIREO_CONTROL_RPC_H

#define RPC_DEFAULT_SOCKET    "/run/vireo/vireod.sock"
#define RPC_DEFAULT_CONFIG    "/var/lib/vireo/conf.json"
#define RPC_DEFAULT_VHOST_DIR "/run/vireo"

/** JSON-RPC 2.0 error codes used on the control socket. */
enum rpc_code {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_UNKNOWN_METHOD = -32601,
	RPC_BAD_PARAMS = -32602,
	RPC_FAILED = -32000,
};

#endif
