'use strict';
module.exports = require('./jest-isolation').teardown;
