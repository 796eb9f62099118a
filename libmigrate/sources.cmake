# The library's source files, listed once: libmigrate/CMakeLists.txt compiles all of them, and the fuzz build
# (fuzz/CMakeLists.txt with MIGRATE_FUZZ=ON, which configures nothing else) compiles the pure ones with its own
# instrumentation. Absolute paths, so that either may include this file.
set(migrate_src ${CMAKE_CURRENT_LIST_DIR}/src)

# Pure: no server, no driver loading, no network -- the folder readers, the SQL layer, URL parsing and the
# online DDL cost, what the fuzz targets exercise. A file added here is built by both.
set(MIGRATE_PURE_SOURCES
  ${migrate_src}/error.cpp
  ${migrate_src}/source/drizzle_folder.cpp
  ${migrate_src}/source/journal_json.cpp
  ${migrate_src}/source/json_document.cpp
  ${migrate_src}/source/folder_reading.cpp
  ${migrate_src}/source/drizzle_v1_folder.cpp
  ${migrate_src}/source/drizzle_hash.cpp
  ${migrate_src}/source/split_statements.cpp
  ${migrate_src}/source/utf8.cpp
  ${migrate_src}/connect/connection_url.cpp
  ${migrate_src}/sql/tokenizer.cpp
  ${migrate_src}/sql/tokens.cpp
  ${migrate_src}/sql/column_definition.cpp
  ${migrate_src}/sql/statement.cpp
  ${migrate_src}/plan/online_ddl.cpp
  ${migrate_src}/plan/ddl_cost.cpp)

# Everything libmigrate.so holds (src/run/fault_injection.cpp is added by a build with the tests).
set(MIGRATE_SOURCES
  ${MIGRATE_PURE_SOURCES}
  ${migrate_src}/target.cpp
  ${migrate_src}/source/new_migration.cpp
  ${migrate_src}/merge/compare_branches.cpp
  ${migrate_src}/merge/rebase.cpp
  ${migrate_src}/project/project_config.cpp
  ${migrate_src}/baseline/baseline_files.cpp
  ${migrate_src}/baseline/baseline_commands.cpp
  ${migrate_src}/baseline/database_dump.cpp
  ${migrate_src}/baseline/database_image.cpp
  ${migrate_src}/baseline/scratch_database.cpp
  ${migrate_src}/baseline/snapshot_sql.cpp
  ${migrate_src}/connect/connection.cpp
  ${migrate_src}/connect/driver_info.cpp
  ${migrate_src}/tracking/tracking_table.cpp
  ${migrate_src}/tracking/v0_table_upgrade.cpp
  ${migrate_src}/tracking/progress_table.cpp
  ${migrate_src}/plan/dry_run_script.cpp
  ${migrate_src}/plan/make_plan.cpp
  ${migrate_src}/plan/validate_plan.cpp
  ${migrate_src}/plan/table_facts.cpp
  ${migrate_src}/run/apply.cpp
  ${migrate_src}/run/lock_waits.cpp
  ${migrate_src}/run/previous_run.cpp
  ${migrate_src}/run/server_sessions.cpp
  ${migrate_src}/run/statement_probe.cpp
  ${migrate_src}/run/safe_migrations.cpp
  ${migrate_src}/run/statement_size.cpp
  ${migrate_src}/run/failure_advice.cpp
  ${migrate_src}/run/probe/ddl_claims.cpp
  ${migrate_src}/run/probe/catalog.cpp
  ${migrate_src}/run/lock.cpp
  ${migrate_src}/lint/registry.cpp
  ${migrate_src}/lint/lint_input.cpp
  ${migrate_src}/lint/schema_model.cpp
  ${migrate_src}/lint/type_capacity.cpp
  ${migrate_src}/lint/rules_chunks.cpp
  ${migrate_src}/lint/rules_compat.cpp
  ${migrate_src}/lint/rules_destructive.cpp
  ${migrate_src}/lint/rules_data_dependent.cpp
  ${migrate_src}/lint/rules_table_copy.cpp
  ${migrate_src}/lint/rules_journal.cpp
  ${migrate_src}/lint/lint_folder.cpp
  ${migrate_src}/verify/snapshot.cpp
  ${migrate_src}/verify/snapshot_v5.cpp
  ${migrate_src}/verify/snapshot_v6.cpp
  ${migrate_src}/verify/live_schema.cpp
  ${migrate_src}/verify/normalise.cpp
  ${migrate_src}/verify/created_tables.cpp
  ${migrate_src}/verify/compare.cpp
  ${migrate_src}/verify/verify_tracking.cpp
  ${migrate_src}/verify/verify_schema.cpp
  ${migrate_src}/c_api/c_api.cpp
  ${migrate_src}/c_api/c_api_ops.cpp
  ${migrate_src}/c_api/c_api_events.cpp
  ${migrate_src}/json/result_json.cpp
  ${migrate_src}/log/log_events.cpp
  ${migrate_src}/json/command_json.cpp
  ${migrate_src}/startup/run_at_startup.cpp
  ${migrate_src}/deploy/planetscale_api.cpp
  ${migrate_src}/deploy/batches.cpp
  ${migrate_src}/deploy/poller.cpp
  ${migrate_src}/deploy/revert.cpp
  ${migrate_src}/deploy/branch_check.cpp
  ${migrate_src}/deploy/carried_record.cpp
  ${migrate_src}/deploy/deployer.cpp)
