# Man pages from a program's own --help, with help2man (cmake -P; tools/*/CMakeLists.txt run it at build time):
# <NAME>(1) and, for every subcommand its --help lists under "Subcommands:", <NAME>-<sub>(1), recursively
# (migrate-baseline-create(1)), the way git documents its commands. The page of a program with subcommands
# ends with a SEE ALSO naming them. Written gzipped (gzip -n: no name or time inside) into OUT_DIR.
#
#   -DPROGRAM=<the built executable> -DNAME=<its installed name> -DSUMMARY=<the NAME line's text>
#   -DVERSION=<x.y.z> -DHELP2MAN=<help2man> -DOUT_DIR=<dir> [-DNO_DISCARD_STDERR=ON: the help is on stderr]
#
# help2man runs the program through a wrapper named after the page that execs it by its bare name from PATH,
# so the usage line the program prints (CLI11 prints argv[0]) names `migrate`, never the build tree's path.
# The version comes from VERSION: `migrate --version` also lists the driver files it found (with their
# paths), which is not a man page's business.
cmake_minimum_required(VERSION 3.20)
foreach(var PROGRAM NAME SUMMARY VERSION HELP2MAN OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "man_pages.cmake: -D${var}=... is required")
  endif()
endforeach()
get_filename_component(bin_dir "${PROGRAM}" DIRECTORY)
get_filename_component(program_file "${PROGRAM}" NAME)
set(wrapper_dir "${OUT_DIR}/wrappers")
file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}/man1" "${wrapper_dir}")
set(help2man_options --no-info "--version-string=${VERSION}")
if(NO_DISCARD_STDERR)
  list(APPEND help2man_options --no-discard-stderr)
endif()

# The subcommands `<program> <words> --help` lists: "name description" pairs into <out_names>/<out_texts>
# (";" in a description kept as the placeholder <semicolon>, so that it survives CMake's lists).
function(list_subcommands words out_names out_texts)
  execute_process(COMMAND "${PROGRAM}" ${words} --help OUTPUT_VARIABLE help ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    # A program whose usage is on stderr (NO_DISCARD_STDERR) exits non-zero and has no subcommands; any other
    # failing --help (a sanitizer's report, a missing library) would silently lose pages.
    if(NOT NO_DISCARD_STDERR)
      message(FATAL_ERROR "${PROGRAM} ${words} --help exited ${rc}: ${err}")
    endif()
    set(${out_names} "" PARENT_SCOPE)
    set(${out_texts} "" PARENT_SCOPE)
    return()
  endif()
  string(REPLACE ";" "<semicolon>" help "${help}")
  string(REPLACE "\n" ";" lines "${help}")
  set(in_list OFF)
  set(names "")
  set(texts "")
  foreach(line IN LISTS lines)
    if(line STREQUAL "Subcommands:")
      set(in_list ON)
    elseif(in_list AND line MATCHES "^  ([a-z][a-z0-9-]*) +(.*)$")
      list(APPEND names "${CMAKE_MATCH_1}")
      list(APPEND texts "${CMAKE_MATCH_2}")
    elseif(in_list)
      break()
    endif()
  endforeach()
  set(${out_names} "${names}" PARENT_SCOPE)
  set(${out_texts} "${texts}" PARENT_SCOPE)
endfunction()

# The page of `<program> <words>`, named <page>, and the pages of its subcommands.
function(write_page page words summary)
  list_subcommands("${words}" names texts)
  set(include_options "")
  if(names)
    set(see_also "")
    list(LENGTH names count)
    set(n 0)
    foreach(sub IN LISTS names)
      math(EXPR n "${n} + 1")
      set(comma ",")
      if(n EQUAL count)
        set(comma "")
      endif()
      string(APPEND see_also ".BR ${page}-${sub} (1)${comma}\n")
    endforeach()
    file(WRITE "${wrapper_dir}/${page}.h2m" "[SEE ALSO]\n${see_also}")
    set(include_options --include "${wrapper_dir}/${page}.h2m")
  endif()
  string(REPLACE ";" " " words_text "${words}")
  file(WRITE "${wrapper_dir}/${page}"
       "#!/bin/sh\nPATH='${bin_dir}':\"$PATH\" exec ${program_file} ${words_text} \"$@\"\n")
  file(CHMOD "${wrapper_dir}/${page}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)
  string(REPLACE "<semicolon>" ";" summary "${summary}")
  execute_process(
    COMMAND "${HELP2MAN}" ${help2man_options} ${include_options} --name "${summary}"
            --output "${OUT_DIR}/man1/${page}.1" "${wrapper_dir}/${page}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man for ${page}: ${err}")
  endif()
  execute_process(COMMAND gzip -9nf "${OUT_DIR}/man1/${page}.1" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page}.1 failed")
  endif()
  list(LENGTH names count)
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      list(GET names ${i} sub)
      list(GET texts ${i} text)
      write_page("${page}-${sub}" "${words};${sub}" "${text}")
    endforeach()
  endif()
endfunction()

write_page("${NAME}" "" "${SUMMARY}")
file(REMOVE_RECURSE "${wrapper_dir}")
