// What io_uring would save per file on this kernel (an experiment for issue #3, not part of the product).
// One thread; the same work as the I/O floor (open, read 8 KB, close), with or without a statx per file, done
// either with one system call each or with io_uring in batches (openat into a fixed-file slot, read, close,
// hard-linked so that a short read does not cancel the close).
//
//   apt-get install liburing-dev && gcc -O2 -o /tmp/uring_probe benchmarks/indexing/uring_probe.c -luring
//   find <corpus> -type f > /tmp/files.txt
//   /usr/bin/time -f '%e s, %U user, %S sys' /tmp/uring_probe /tmp/files.txt syscalls|uring [--statx] [--statx-only]
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { Batch = 64, Prefix = 8192, MaxFiles = 2000000 };

static char *paths[MaxFiles];
static char buffers[Batch][Prefix];
static struct statx stats[Batch];

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: uring_probe <file list> syscalls|uring [--statx] [--statx-only]\n");
        return 2;
    }
    int uring = strcmp(argv[2], "uring") == 0, with_stat = 0, stat_only = 0;
    for (int a = 3; a < argc; a++) {
        with_stat |= strcmp(argv[a], "--statx") == 0;
        stat_only |= strcmp(argv[a], "--statx-only") == 0;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 2; }
    int n = 0;
    char line[4096];
    while (n < MaxFiles && fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = 0;
        paths[n++] = strdup(line);
    }

    long bytes = 0, errors = 0;
    double started = seconds();
    if (!uring) {
        for (int i = 0; i < n; i++) {
            if (with_stat || stat_only) {
                struct statx sx;
                if (statx(AT_FDCWD, paths[i], 0, STATX_SIZE | STATX_MTIME, &sx) < 0) errors++;
            }
            if (stat_only) continue;
            int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
            if (fd < 0) { errors++; continue; }
            long r = pread(fd, buffers[0], Prefix, 0);
            if (r < 0) errors++; else bytes += r;
            close(fd);
        }
    } else {
        struct io_uring ring;
        if (io_uring_queue_init(Batch * 4, &ring, 0) < 0) { perror("io_uring_queue_init"); return 1; }
        int slots[Batch];
        for (int k = 0; k < Batch; k++) slots[k] = -1;
        if (io_uring_register_files(&ring, slots, Batch) < 0) { perror("io_uring_register_files"); return 1; }
        for (int i = 0; i < n; i += Batch) {
            int m = n - i < Batch ? n - i : Batch, expected = 0;
            for (int k = 0; k < m; k++) {
                struct io_uring_sqe *sqe;
                if (with_stat || stat_only) {
                    sqe = io_uring_get_sqe(&ring);
                    io_uring_prep_statx(sqe, AT_FDCWD, paths[i + k], 0, STATX_SIZE | STATX_MTIME, &stats[k]);
                    sqe->user_data = 0;
                    expected++;
                }
                if (stat_only) continue;
                sqe = io_uring_get_sqe(&ring);
                io_uring_prep_openat_direct(sqe, AT_FDCWD, paths[i + k], O_RDONLY, 0, k);
                sqe->flags |= IOSQE_IO_HARDLINK;
                sqe->user_data = 1;
                sqe = io_uring_get_sqe(&ring);
                io_uring_prep_read(sqe, k, buffers[k], Prefix, 0);
                sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
                sqe->user_data = 2;
                sqe = io_uring_get_sqe(&ring);
                io_uring_prep_close_direct(sqe, k);
                sqe->user_data = 3;
                expected += 3;
            }
            io_uring_submit_and_wait(&ring, expected);
            for (int got = 0; got < expected; got++) {
                struct io_uring_cqe *cqe;
                if (io_uring_wait_cqe(&ring, &cqe) < 0) { perror("io_uring_wait_cqe"); return 1; }
                if (cqe->res < 0) errors++;
                else if (cqe->user_data == 2) bytes += cqe->res;
                io_uring_cqe_seen(&ring, cqe);
            }
        }
        io_uring_queue_exit(&ring);
    }
    printf("{\"mode\": \"%s%s\", \"files\": %d, \"bytes_read\": %ld, \"errors\": %ld, \"seconds\": %.3f}\n",
           argv[2], stat_only ? " statx only" : with_stat ? " + statx" : "", n, bytes, errors, seconds() - started);
    return errors == 0 ? 0 : 1;
}
