// libmigrate: run drizzle-kit MySQL migrations from C++. Include this one header.
#pragma once

#include <migrate/baseline.hpp>
#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>
#include <migrate/flavor.hpp>
#include <migrate/lint.hpp>
#include <migrate/log.hpp>
#include <migrate/merge.hpp>
#include <migrate/new_migration.hpp>
#include <migrate/plan.hpp>
#include <migrate/project.hpp>
#include <migrate/source.hpp>
#include <migrate/startup.hpp>
#include <migrate/target.hpp>
#include <migrate/verify.hpp>
#include <migrate/version.hpp>
