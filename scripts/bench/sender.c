/*
 * The real kernel's side of the fast-path comparison: UDP datagrams of SIZE bytes to DST:PORT
 * with sendmmsg, 32 per call, pinned to CPU 0, for ROUNDS rounds of SECS seconds each. With DEV,
 * TX checksum offload is turned off on DEV first, so that the kernel computes every UDP checksum
 * in software, as the model does.
 *
 * usage: sender DST PORT SIZE ROUNDS SECS [DEV]
 * prints "txcsum off" (or "txcsum on" when it could not turn it off), then per round "SENT SECONDS".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Whether TX checksum offload is off on `dev` after asking for it to be. */
static int txcsum_off(int fd, const char *dev) {
  struct ethtool_value v = { .cmd = ETHTOOL_STXCSUM, .data = 0 };
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
  ifr.ifr_data = (void *)&v;
  ioctl(fd, SIOCETHTOOL, &ifr);
  v.cmd = ETHTOOL_GTXCSUM;
  v.data = 1;
  if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) return 0;
  return v.data == 0;
}

int main(int argc, char **argv) {
  if (argc < 6) return 2;
  int port = atoi(argv[2]), size = atoi(argv[3]), rounds = atoi(argv[4]);
  double secs = atof(argv[5]);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  sched_setaffinity(0, sizeof set, &set);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  if (argc > 6) printf("txcsum %s\n", txcsum_off(fd, argv[6]) ? "off" : "on");
  int sndbuf = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
  if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) return 2;
  static char payload[65536];
  for (int i = 0; i < size; i++) payload[i] = (char)i;
  struct mmsghdr msgs[32];
  struct iovec iov[32];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < 32; i++) {
    iov[i].iov_base = payload;
    iov[i].iov_len = size;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &to;
    msgs[i].msg_hdr.msg_namelen = sizeof to;
  }
  for (int r = 0; r < rounds; r++) {
    long sent = 0;
    double t0 = now(), t;
    do {
      int n = sendmmsg(fd, msgs, 32, 0);
      if (n > 0) sent += n;
      t = now();
    } while (t - t0 < secs);
    printf("%ld %.6f\n", sent, t - t0);
    fflush(stdout);
  }
  return 0;
}
