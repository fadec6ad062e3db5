/** An outside project's models and program, built against the installed Flint artifacts by .ci/consumer-check.sh. */
package com.example.consumer;
