# uk_kv_embed.cmake - compiling KV_RO directories into images (included by
# uk.cmake).  The tool is tools/embed (uk-embed); the store it generates is
# served by lib/kv (uk/kv_embedded.h).

# uk__kv_embed(IMAGE KV DIR OUT_SRC_VAR OUT_SYM_VAR)
#
# Adds a build step that runs uk-embed over DIR (absolute) to generate
# <binary dir>/IMAGE_kv_KV.c, defining `struct uk_kv_ro <sym>`; returns the
# source's path in OUT_SRC_VAR and the symbol in OUT_SYM_VAR, and links
# IMAGE against uk_kv once IMAGE exists.  The store's disconnect() completes
# on the target's uk_default_time() (uk/target.h).
#
# Rebuilds: the directory is globbed with CONFIGURE_DEPENDS, so adding or
# removing a file re-runs the glob at the next build; the step depends on
# every file and directory (a directory's mtime changes when an entry is
# added or removed) and on a listing file rewritten only when the set of
# files changes, so an edit, an addition and a removal each regenerate the
# source.
# SOURCE_DATE_EPOCH, if set in the build's environment, replaces every
# mtime in the store (reproducible images).
function(uk__kv_embed image kv dir out_src_var out_sym_var)
  string(MAKE_C_IDENTIFIER "uk__kv_${image}_${kv}" sym)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${image}_kv_${kv}.c)
  set(listing ${CMAKE_CURRENT_BINARY_DIR}/${image}_kv_${kv}.files)
  file(GLOB_RECURSE files LIST_DIRECTORIES true "${dir}/*")
  # CMake (3.25) writes CONFIGURE_DEPENDS globs' results into a script
  # without escaping, so a name with '"' or '$' would break every later
  # build.  Such trees are still embedded, but adding or removing files in
  # them needs a re-configure.  (Names with ';' split CMake lists: avoid.)
  if(files MATCHES "[\"$]")
    message(WARNING "KV_RO ${kv} of ${image}: a name under ${dir} contains '\"' or '$': re-run cmake after adding or removing files there")
  else()
    file(GLOB_RECURSE files LIST_DIRECTORIES true CONFIGURE_DEPENDS "${dir}/*")
  endif()
  list(SORT files)
  string(REPLACE ";" "\n" text "${files}")
  file(CONFIGURE OUTPUT ${listing} CONTENT "${text}\n" @ONLY)
  if(TARGET uk-embed AND NOT CMAKE_CROSSCOMPILING) # arm-xen: a host build, UK_EMBED_PROGRAM
    set(tool $<TARGET_FILE:uk-embed>)
    set(tool_dep uk-embed)
  elseif(UK_EMBED_PROGRAM)
    # arm-xen's host build, or an installed uk (ukConfig.cmake sets it).
    set(tool ${UK_EMBED_PROGRAM})
    set(tool_dep ${UK_EMBED_PROGRAM})
  else()
    find_program(UK_EMBED_PROGRAM uk-embed REQUIRED)
    set(tool ${UK_EMBED_PROGRAM})
    set(tool_dep ${UK_EMBED_PROGRAM})
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${tool} -o ${out} -s ${sym} -n ${kv} -t uk_default_time ${dir}
    DEPENDS ${tool_dep} ${listing} ${dir} ${files}
    COMMENT "Embedding ${dir} as KV_RO store '${kv}' of ${image}"
    VERBATIM)
  # Large stores are one big string literal per file (see uk-embed.c).
  set_source_files_properties(${out} PROPERTIES
    GENERATED TRUE COMPILE_OPTIONS "-Wno-overlength-strings")
  # The image target is created after this returns: link it then.
  cmake_language(EVAL CODE "cmake_language(DEFER CALL target_link_libraries [[${image}]] PRIVATE uk::kv)")
  set(${out_src_var} ${out} PARENT_SCOPE)
  set(${out_sym_var} ${sym} PARENT_SCOPE)
endfunction()
