/** A model with a shape mistake that .ci/consumer-check.sh expects javac to reject on its line. */
package com.example.broken;
