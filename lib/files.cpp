#include "files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "error.hpp"
#include "interrupts.hpp"

namespace riskledger {

namespace {

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// RISKLEDGER_NO_DIRECT_IO=1 (any value but empty or 0) declines O_DIRECT: for
// a file system that takes it but is slow with it.
bool direct_io_declined() {
  const char* v = std::getenv("RISKLEDGER_NO_DIRECT_IO");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// Writes a file that will be flushed (fsync) before it is renamed into
// place, so that the flush waits for little.
//
// With O_DIRECT where the file system allows it: the bytes go from aligned
// buffers of our own straight to the disk, not through the page cache, so
// the kernel neither copies them nor takes fresh pages for them (a large
// ledger otherwise costs as much kernel time as rendering it). There are two
// buffers of 16 MiB: while a thread of the writer's own writes a full one,
// the caller fills the other, so the disk is kept busy (a disk takes one
// long write faster than several short ones: 1.3 GB/s against 0.8 GB/s for
// writes of 4 MiB, docs/performance.md). The tail that is not a whole number
// of blocks is written without O_DIRECT at the end.
//
// Where O_DIRECT cannot be set, or a direct write is refused (EINVAL: an
// alignment the device does not take) or comes back short, the rest goes
// through the page cache, and the disk is asked every 8 MiB to start
// writing what came before (the writing overlaps the work), as it does
// throughout when O_DIRECT is declined (direct_io_declined).
class FlushedWriter {
 public:
  static constexpr size_t kAlign = 4096;
  static constexpr size_t kBuffer = size_t{16} << 20;
  static constexpr off_t kWriteBehind = off_t{8} << 20;

  FlushedWriter(int fd, const std::string& path) : fd_(fd), path_(path) {
    const int flags = ::fcntl(fd_, F_GETFL);
    direct_ = flags >= 0 && !direct_io_declined() && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
    if (direct_) filling_ = aligned_buffer();
    if (!filling_) set_buffered();
  }
  FlushedWriter(const FlushedWriter&) = delete;
  FlushedWriter& operator=(const FlushedWriter&) = delete;
  ~FlushedWriter() { stop(); }

  void write(std::string_view bytes) {
    while (filling_ && !bytes.empty()) {
      const size_t take = std::min(bytes.size(), kBuffer - used_);
      std::memcpy(filling_.get() + used_, bytes.data(), take);
      used_ += take;
      bytes.remove_prefix(take);
      if (used_ == kBuffer) hand_over();
    }
    if (!bytes.empty()) write_buffered(bytes);
  }

  // Waits for the buffer being written, then writes what is left.
  void finish() {
    stop();
    if (failure_) std::rethrow_exception(failure_);
    if (!filling_) return;
    const size_t aligned = used_ / kAlign * kAlign;
    write_block(filling_.get(), aligned);
    set_buffered();
    write_buffered({filling_.get() + aligned, used_ - aligned});
    used_ = 0;
  }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  using Buffer = std::unique_ptr<char, Free>;

  static Buffer aligned_buffer() { return Buffer(static_cast<char*>(std::aligned_alloc(kAlign, kBuffer))); }

  // Gives the full buffer to the writing thread, once it has written the one
  // before, and goes on filling that one.
  void hand_over() {
    if (!thread_.joinable()) thread_ = std::thread([this] { drain(); });
    Buffer next;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !full_ || failure_; });
      if (failure_) std::rethrow_exception(failure_);
      full_ = std::move(filling_);
      next = std::move(spare_);
    }
    changed_.notify_all();
    if (!next) next = aligned_buffer();
    if (!next) throw InputError(fmt::format("cannot write {}: out of memory", path_));
    filling_ = std::move(next);
    used_ = 0;
  }

  // The writing thread: writes each full buffer handed over until stopped.
  void drain() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return full_ || stopping_; });
      if (!full_) return;
      lock.unlock();
      std::exception_ptr failed;
      try {
        write_block(full_.get(), kBuffer);  // full_ stays as it is until reset below
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      spare_ = std::move(full_);
      failure_ = failed;
      changed_.notify_all();
      if (failed) return;
    }
  }

  // Lets the writing thread finish the buffer it has, and joins it.
  void stop() {
    if (!thread_.joinable()) return;
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // Writes `bytes` (a multiple of kAlign) from `data` directly, or, once
  // direct writing has failed, through the page cache.
  void write_block(const char* data, size_t bytes) {
    size_t done = 0;
    while (direct_ && done < bytes) {
      const ssize_t n = ::write(fd_, data + done, bytes - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EINVAL)
        throw InputError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
      if (n > 0) done += static_cast<size_t>(n);
      if (n <= 0 || done % kAlign != 0) set_buffered();  // refused, or the rest is unaligned
    }
    write_buffered({data + done, bytes - done});
  }

  void write_buffered(std::string_view bytes) {
    write_all(fd_, bytes, path_);
    written_ += static_cast<off_t>(bytes.size());
    if (written_ - behind_ >= kWriteBehind) {
      ::sync_file_range(fd_, behind_, written_ - behind_,
                        SYNC_FILE_RANGE_WRITE);  // a hint: errors show at fsync
      behind_ = written_;
    }
  }

  void set_buffered() {
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
    direct_ = false;
  }

  int fd_;
  const std::string& path_;
  // Used by the writing thread while it runs, by the caller before and after.
  bool direct_ = false;
  off_t written_ = 0, behind_ = 0;  // bytes written through the page cache; those asked to disk
  // The caller's.
  Buffer filling_;
  size_t used_ = 0;
  std::thread thread_;
  // Shared, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  Buffer full_, spare_;  // handed over, not yet written; written, ready to fill again
  bool stopping_ = false;
  std::exception_ptr failure_;
};

}  // namespace

namespace {

// Writes bytes to a new temporary file beside `path`; returns its name.
using Producer = std::function<void(const std::function<void(std::string_view)>&)>;

std::string write_temp(const std::string& path, const Producer& produce, bool sync) {
  const auto target = std::filesystem::path(path);
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string tmp = (dir / fmt::format(".{}.tmp.XXXXXX", target.filename().string())).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  register_temp_file(tmp);  // removed if the run is interrupted
  try {
    if (sync) {
      FlushedWriter out(fd, path);
      produce([&](std::string_view bytes) { out.write(bytes); });
      out.finish();
    } else {
      produce([&](std::string_view bytes) { write_all(fd, bytes, path); });
    }
    if (::fchmod(fd, 0644) != 0 || (sync && ::fsync(fd) != 0))
      throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    unregister_temp_file(tmp);
    throw;
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    unregister_temp_file(tmp);
    throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
  return tmp;
}

void rename_into_place(const std::string& tmp, const std::string& path) {
  const int renamed = ::rename(tmp.c_str(), path.c_str());
  const int err = errno;
  if (renamed != 0) ::unlink(tmp.c_str());
  unregister_temp_file(tmp);
  if (renamed != 0) {
    throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  OutputSet out;
  out.add(path, bytes);
  out.commit();
}

// A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
// renaming a temporary file over it would replace the device itself.
bool is_special_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

void write_in_place(const std::string& path, const Producer& produce) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  try {
    produce([&](std::string_view bytes) { write_all(fd, bytes, path); });
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
}

OutputSet::~OutputSet() {
  for (const auto& s : staged_) {
    if (s.temp.empty()) continue;
    ::unlink(s.temp.c_str());
    unregister_temp_file(s.temp);
  }
  if (lock_fd_ >= 0) {
    unregister_temp_file(lock_path_);
    ::unlink(lock_path_.c_str());  // still holding the lock: no one else is using this file
    ::close(lock_fd_);
  }
}

namespace {

// The pid written in a lock file, or "" when it cannot be read.
std::string lock_holder(const std::string& path) {
  char buf[32] = {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

// Temporary files as write_temp names them: .NAME.tmp.XXXXXX
bool is_stale_temp(const std::string& name) {
  const auto at = name.rfind(".tmp.");
  return name.size() > 1 && name[0] == '.' && at != std::string::npos && at > 1 && name.size() - at == 11;
}

}  // namespace

void OutputSet::lock(const std::string& dir, double wait_seconds) {
  const auto path = (std::filesystem::path(dir) / ".riskledger.lock").string();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  while (true) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw InputError(fmt::format("cannot create lock file {}: {}", path, std::strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      // The holder before us may have removed the file after we opened it:
      // then our lock is on a file no one else will see, so open it again.
      struct stat held {
      }, now{};
      if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
          held.st_dev == now.st_dev) {
        const auto pid = fmt::format("{}\n", ::getpid());
        if (::ftruncate(fd, 0) != 0 || ::write(fd, pid.data(), pid.size()) < 0) {
          // The pid is only for messages; the lock holds without it.
        }
        lock_fd_ = fd;
        lock_path_ = path;
        register_temp_file(path);  // an interrupted run removes its lock file too
        break;
      }
      ::close(fd);
      continue;
    }
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) throw InputError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    if (std::chrono::steady_clock::now() >= deadline) {
      const auto pid = lock_holder(path);
      throw InputError(
          fmt::format("another riskledger run{} is writing to {} (lock file {}); try again later or give "
                      "--lock-wait SECONDS",
                      pid.empty() ? "" : fmt::format(" (pid {})", pid), dir, path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Remove what a killed run left behind.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (is_stale_temp(name) && entry.is_regular_file(ec)) std::filesystem::remove(entry.path(), ec);
  }
}

void OutputSet::add(const std::string& path, std::string_view bytes) {
  add(path, [bytes](const auto& sink) { sink(bytes); });
}

void OutputSet::add(const std::string& path, const Producer& produce) {
  if (is_special_file(path)) {
    staged_.push_back({"", path, produce});  // written at commit
    return;
  }
  staged_.push_back({write_temp(path, produce, sync_), path, nullptr});
}

void OutputSet::commit() {
  // Renames within one file system are atomic one by one; all temporary files
  // exist before the first rename, so only a crash between renames can mix
  // old and new outputs. An interruption waits until all are renamed, unless
  // a device or pipe is written here (that may block for as long as its reader).
  std::optional<DeferInterrupts> defer;
  if (std::none_of(staged_.begin(), staged_.end(), [](const Staged& s) { return s.temp.empty(); }))
    defer.emplace();
  while (!staged_.empty()) {
    const auto& s = staged_.front();
    if (s.temp.empty())
      write_in_place(s.path, s.produce);
    else
      rename_into_place(s.temp, s.path);
    staged_.erase(staged_.begin());
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

void make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw InputError(fmt::format("cannot create directory {}: {}", path, ec.message()));
}

void write_stdout(std::string_view bytes) {
  std::fflush(stdout);
  write_all(STDOUT_FILENO, bytes, "standard output");
}

}  // namespace riskledger
