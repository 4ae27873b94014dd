# Sanitized and fuzzing builds of the project's own code (off by default).
#
#   MLSTM_SANITIZE       ASan + UBSan (no recovery: the first report aborts)
#                        and assertions on, in everything this project
#                        compiles. libMLIR.so and libLLVM.so stay as Debian
#                        ships them (uninstrumented, no assertions).
#   MLSTM_ENABLE_FUZZER  coverage instrumentation (-fsanitize=fuzzer-no-link)
#                        of the project's code and the mlstm-fuzz libFuzzer
#                        target; needs clang (Debian's clang-22) and
#                        MLSTM_SANITIZE.
#
# scripts/sanitize.sh configures, builds and tests this way in build-sanitize/.

option(MLSTM_SANITIZE "Build with AddressSanitizer, UBSan and assertions" OFF)
option(MLSTM_ENABLE_FUZZER "Build the mlstm-fuzz libFuzzer target" OFF)

if(MLSTM_SANITIZE)
  # -UNDEBUG after the build type's -DNDEBUG: the project's assertions (and
  # the inline ones of the LLVM/MLIR headers, e.g. in cast<>) are checks too.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -UNDEBUG)
  add_link_options(-fsanitize=address,undefined)
  # Shared libraries leave the sanitizer runtime to the executable: drop the
  # -z defs that HandleLLVMOptions adds (as LLVM_USE_SANITIZER builds do).
  string(REPLACE "-Wl,-z,defs" "" CMAKE_SHARED_LINKER_FLAGS
         "${CMAKE_SHARED_LINKER_FLAGS}")
  string(REPLACE "-Wl,-z,defs" "" CMAKE_MODULE_LINKER_FLAGS
         "${CMAKE_MODULE_LINKER_FLAGS}")
  # Every test run by ctest gets these options (ctest includes the file before
  # running the tests of this tree):
  #  - abort_on_error, for lit's `not`: a report must abort (a signal), not
  #    exit with 1, which `not` would count as the expected failure;
  #  - allow_user_poisoning=0: llvm::BumpPtrAllocator's inline code poisons
  #    slab memory where it is compiled with ASan (here) but not where it is
  #    not (libMLIR.so), so libMLIR's own allocations in a slab started by our
  #    code would read as use-after-poison.
  set(MLSTM_ASAN_OPTIONS
    "abort_on_error=1:halt_on_error=1:detect_leaks=1:allow_user_poisoning=0")
  set(MLSTM_UBSAN_OPTIONS "abort_on_error=1:halt_on_error=1:print_stacktrace=1")
  file(WRITE ${CMAKE_BINARY_DIR}/SanitizerTestEnvironment.cmake
    "set(ENV{ASAN_OPTIONS} \"${MLSTM_ASAN_OPTIONS}\")\n"
    "set(ENV{UBSAN_OPTIONS} \"${MLSTM_UBSAN_OPTIONS}\")\n"
    "set(ENV{ASAN_SYMBOLIZER_PATH} \"${LLVM_TOOLS_BINARY_DIR}/llvm-symbolizer\")\n")
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY
    TEST_INCLUDE_FILES ${CMAKE_BINARY_DIR}/SanitizerTestEnvironment.cmake)
endif()

if(MLSTM_ENABLE_FUZZER)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MLSTM_ENABLE_FUZZER needs clang (libFuzzer), "
                        "e.g. -DCMAKE_CXX_COMPILER=clang++-22")
  endif()
  if(NOT MLSTM_SANITIZE)
    message(FATAL_ERROR "MLSTM_ENABLE_FUZZER needs MLSTM_SANITIZE")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
